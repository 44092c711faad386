locals {
  issuer       = "token.actions.githubusercontent.com"
  account_id   = data.aws_caller_identity.current.account_id
  region       = data.aws_region.current.region
  provider_arn = data.aws_iam_openid_connect_provider.github.arn
  state_prefix = "arn:aws:s3:::${var.state_bucket}/${var.environment}"
  iam          = "arn:aws:iam::${local.account_id}"

  # Built from names, not from the resources: the apply policy must name them before they exist.
  role_names     = { for kind in ["plan", "apply"] : kind => "${var.name_prefix}-github-${kind}" }
  policy_names   = merge(local.role_names, { apply_iam = "${var.name_prefix}-github-apply-iam" })
  boundary_name  = "${var.name_prefix}-permissions-boundary"
  boundary_arn   = "${local.iam}:policy/${local.boundary_name}"
  platform_roles = "${local.iam}:role/${var.name_prefix}-*"
  # What only an administrator changes: the CI roles, their policies and the boundary.
  protected_arns = concat(
    [for name in local.role_names : "${local.iam}:role/${name}"],
    [for name in local.policy_names : "${local.iam}:policy/${name}"],
    [local.boundary_arn],
  )

  # GitHub's OIDC token, as AWS STS evaluates it: sub names the repository and the GitHub
  # environment; job_workflow_ref names the workflow file and the ref it ran from (for a reusable
  # workflow, the called file at the caller's ref). The apply role takes only the deploy
  # workflows run from the deploy branch; the plan role only the plan workflows, from any ref
  # (pull requests run at refs/pull/<n>/merge).
  trust = {
    plan = {
      environment = "${var.environment}-plan"
      workflows   = [for file in var.plan_workflows : "${var.github_repository}/.github/workflows/${file}@*"]
      refs        = []
    }
    apply = {
      environment = var.environment
      workflows   = [for file in var.apply_workflows : "${var.github_repository}/.github/workflows/${file}@refs/heads/${var.deploy_branch}"]
      refs        = ["refs/heads/${var.deploy_branch}"]
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

# One per account, created by infra/bootstrap.
data "aws_iam_openid_connect_provider" "github" {
  url = "https://${local.issuer}"
}

data "aws_iam_policy_document" "trust" {
  for_each = local.trust

  statement {
    sid     = "GitHubActions"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.value.environment}"]
    }
    condition {
      test     = "StringLike"
      variable = "${local.issuer}:job_workflow_ref"
      values   = each.value.workflows
    }
    dynamic "condition" {
      for_each = length(each.value.refs) > 0 ? [each.value.refs] : []
      content {
        test     = "StringEquals"
        variable = "${local.issuer}:ref"
        values   = condition.value
      }
    }
  }
}

resource "aws_iam_role" "github" {
  for_each = data.aws_iam_policy_document.trust

  name                 = local.role_names[each.key]
  description          = "GitHub Actions ${each.key} role for ${var.github_repository} (${var.environment})"
  assume_role_policy   = each.value.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "state" {
  for_each = local.role_names

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.state_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.environment}/*"]
    }
  }
  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = ["${local.state_prefix}/*"]
  }
  statement {
    sid       = each.key == "apply" ? "WriteStateAndLock" : "WriteLockOnly"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = each.key == "apply" ? ["${local.state_prefix}/*"] : ["${local.state_prefix}/*.tflock"]
  }
  statement {
    sid       = "UseStateKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.state_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "state" {
  for_each = aws_iam_role.github

  name   = "terraform-state"
  role   = each.value.name
  policy = data.aws_iam_policy_document.state[each.key].json
}

# --- The plan role: what terraform plan refreshes, and nothing that holds data or secrets ----

data "aws_iam_policy_document" "plan" {
  # checkov:skip=CKV_AWS_356:Describe, List and Get-configuration actions take no resource ARN or apply to every resource the stacks refresh; none reads data or secrets (variable validation).
  statement {
    sid       = "ReadConfiguration"
    actions   = var.plan_read_actions
    resources = ["*"]
  }
  # The stacks find each other through String parameters under /<project>/<env>/.
  statement {
    sid       = "ReadTheEnvironmentsParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = ["arn:aws:ssm:${local.region}:${local.account_id}:parameter${var.parameter_path}/*"]
  }
  # Bucket settings and objects of the platform's own buckets (a manifest the workloads stack
  # reads, objects the stacks upload), not the state of other environments.
  statement {
    sid = "ReadPlatformBuckets"
    actions = [
      "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket",
    ]
    resources = ["arn:aws:s3:::${var.name_prefix}-*"]
  }
  statement {
    sid       = "ReadPlatformObjects"
    actions   = ["s3:GetObject", "s3:GetObjectTagging"]
    resources = ["arn:aws:s3:::${var.name_prefix}-*/*"]
  }
  # Customer managed keys guard what some refreshes return: objects in the platform's buckets
  # (s3), agents' instructions and schemas (bedrock), the Lambda functions' environment (lambda),
  # parameters (ssm). The key is usable only through those services, never directly.
  statement {
    sid       = "DecryptThroughTheServicesThatNeedIt"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:${local.region}:${local.account_id}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [for service in var.plan_decrypt_via_services : "${service}.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "plan" {
  name        = local.policy_names["plan"]
  description = "What the GitHub plan role reads for terraform plan in ${local.region}: configuration, not data or secrets"
  policy      = data.aws_iam_policy_document.plan.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "plan" {
  role       = aws_iam_role.github["plan"].name
  policy_arn = aws_iam_policy.plan.arn
}

# --- The apply role ---------------------------------------------------------------------

# Two managed policies (IAM allows 6,144 characters in one): the platform's services, and IAM.
# Service actions are confined to this account and Region, S3 to buckets named <name_prefix>-*.
#trivy:ignore:AVD-AWS-0342
#trivy:ignore:AVD-AWS-0345
data "aws_iam_policy_document" "apply" {
  # checkov:skip=CKV_AWS_107:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_108:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_109:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_110:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_111:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_356:Only actions that have no resource ARN (creating a key, listing) are allowed on "*".
  statement {
    sid     = "ManagePlatformServicesInAccountAndRegion"
    actions = [for service in var.managed_services : "${service}:*"]
    resources = concat(
      [for service in var.managed_services : "arn:aws:${service}:${local.region}:${local.account_id}:*" if service != "s3"],
      [
        # AWS-owned resources the platform uses: AMIs, foundation models, API Gateway paths.
        "arn:aws:ec2:${local.region}::image/*",
        "arn:aws:ec2:${local.region}::snapshot/*",
        "arn:aws:bedrock:${local.region}::foundation-model/*",
        "arn:aws:apigateway:${local.region}::/*",
        "arn:aws:s3:::${var.name_prefix}-*",
        "arn:aws:s3:::${var.name_prefix}-*/*",
      ],
    )
  }
  # Dashboards and budgets have account-wide ARNs (no Region): the environment's own only.
  statement {
    sid     = "EnvironmentDashboardsAndBudgets"
    actions = ["cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards", "budgets:ModifyBudget", "budgets:ViewBudget", "budgets:ListTagsForResource", "budgets:TagResource", "budgets:UntagResource"]
    resources = [
      "arn:aws:cloudwatch::${local.account_id}:dashboard/${var.name_prefix}",
      "arn:aws:budgets::${local.account_id}:budget/${var.name_prefix}-*",
    ]
  }
  statement {
    sid       = "ActionsWithoutResourceArns"
    actions   = var.unscoped_actions
    resources = ["*"]
  }
  # Creating, replacing or deleting an OpenSearch Serverless VPC endpoint (the bedrock stack)
  # creates, associates, disassociates and deletes a private hosted zone with the caller's
  # credentials ("Access Amazon OpenSearch Serverless using an interface endpoint"). Route 53
  # has no Region or name to scope these to.
  statement {
    sid = "PrivateHostedZonesOfVpcEndpoints"
    actions = [
      "route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone",
      "route53:ChangeResourceRecordSets", "route53:DeleteHostedZone", "route53:GetHostedZone",
      "route53:ListResourceRecordSets",
    ]
    resources = ["arn:aws:route53:::hostedzone/*"]
  }
  statement {
    sid       = "FollowRoute53Changes"
    actions   = ["route53:GetChange"]
    resources = ["arn:aws:route53:::change/*"]
  }
}

resource "aws_iam_policy" "apply" {
  name        = local.policy_names["apply"]
  description = "What the GitHub apply role may change: the platform's services in ${local.region}"
  policy      = data.aws_iam_policy_document.apply.json
  tags        = var.tags
}

# IAM: roles and policies named <name_prefix>-* only; every role it creates or changes carries
# the permissions boundary, and only the listed managed policies can be attached to them.
data "aws_iam_policy_document" "apply_iam" {
  # checkov:skip=CKV_AWS_109:IAM changes are confined to names under name_prefix and to roles under the permissions boundary.
  # checkov:skip=CKV_AWS_110:IAM changes are confined to names under name_prefix and to roles under the permissions boundary.
  # iam:UpdateAssumeRolePolicy and iam:DeleteRole do not take the iam:PermissionsBoundary key;
  # every role under the prefix but the CI roles (denied below) carries the boundary.
  statement {
    sid = "ReadAndTagPlatformRoles"
    actions = [
      "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateRole",
      "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:PassRole",
    ]
    resources = [local.platform_roles]
  }
  statement {
    sid = "CreateAndChangeRolesUnderTheBoundary"
    actions = [
      "iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
    ]
    resources = [local.platform_roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }
  statement {
    sid       = "AttachListedPoliciesUnderTheBoundary"
    actions   = ["iam:AttachRolePolicy"]
    resources = [local.platform_roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values = concat(
        [for name in var.attachable_aws_managed_policies : "arn:aws:iam::aws:policy/${name}"],
        ["${local.iam}:policy/${var.name_prefix}-*"],
      )
    }
  }
  statement {
    sid = "ManagePlatformPoliciesAndInstanceProfiles"
    actions = [
      "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
      "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
      "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
      "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
    ]
    resources = [
      "${local.iam}:policy/${var.name_prefix}-*",
      "${local.iam}:instance-profile/${var.name_prefix}-*",
    ]
  }
  # Changes to the CI roles, their policies and the boundary are an administrator's apply.
  statement {
    sid    = "DenyChangesToTheCiRolesAndTheBoundary"
    effect = "Deny"
    actions = [
      "iam:Add*", "iam:Attach*", "iam:Create*", "iam:Delete*", "iam:Detach*", "iam:PassRole", "iam:Put*",
      "iam:Remove*", "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*",
    ]
    resources = local.protected_arns
  }
  statement {
    sid       = "DenyRemovingABoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
    resources = ["*"]
  }
  statement {
    sid       = "ReadTheGitHubOidcProvider"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = [local.provider_arn]
  }
  statement {
    sid       = "CreateServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.iam}:role/aws-service-role/*"]
  }
}

resource "aws_iam_policy" "apply_iam" {
  name        = local.policy_names["apply_iam"]
  description = "What the GitHub apply role may change in IAM: names under ${var.name_prefix}-*, roles within the permissions boundary"
  policy      = data.aws_iam_policy_document.apply_iam.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "apply" {
  for_each = { apply = aws_iam_policy.apply.arn, apply_iam = aws_iam_policy.apply_iam.arn }

  role       = aws_iam_role.github["apply"].name
  policy_arn = each.value
}

# --- The permissions boundary of every role the platform creates -------------------------

# The most any platform role (cluster, nodes, controllers, pods, Lambda functions, Bedrock,
# Flink, Firehose, MWAA) may do, whatever policies it is given: the platform's services, passing
# the platform's own roles, and no IAM change at all, so a role the apply role creates can never
# hand out more than this. Being a cap, it names services rather than resources.
#trivy:ignore:AVD-AWS-0342
#trivy:ignore:AVD-AWS-0345
data "aws_iam_policy_document" "boundary" {
  # checkov:skip=CKV_AWS_107:A permissions boundary grants nothing; it caps the platform's roles to the platform's services.
  # checkov:skip=CKV_AWS_108:A permissions boundary grants nothing; it caps the platform's roles to the platform's services.
  # checkov:skip=CKV_AWS_109:A permissions boundary grants nothing; IAM changes are denied outright.
  # checkov:skip=CKV_AWS_110:A permissions boundary grants nothing; IAM changes are denied outright.
  # checkov:skip=CKV_AWS_111:A permissions boundary grants nothing; it caps the platform's roles to the platform's services.
  # checkov:skip=CKV_AWS_356:A permissions boundary grants nothing; the roles' own policies name their resources.
  statement {
    sid       = "PlatformServices"
    actions   = [for service in var.boundary_services : "${service}:*"]
    resources = ["*"]
  }
  statement {
    sid       = "PassPlatformRoles"
    actions   = ["iam:PassRole"]
    resources = [local.platform_roles]
  }
  # A function that signs download links with a session of its own signing role (modules/
  # bedrock-agent, modules/code-generation-api). A trust policy naming a role's ARN is capped by
  # that role's boundary, so without this the assumption is denied; the trust policies decide
  # which platform role may assume which.
  statement {
    sid       = "AssumePlatformRoles"
    actions   = ["sts:AssumeRole"]
    resources = [local.platform_roles]
  }
  # The cluster role and the load balancer controller create service-linked roles and read
  # server certificates (AmazonEKSClusterPolicy, the controller's policy); Karpenter reads the
  # nodes' instance profile, which the platform stack creates (it may create none itself).
  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.iam}:role/aws-service-role/*"]
  }
  statement {
    sid       = "ReadCertificatesAndInstanceProfiles"
    actions   = ["iam:GetServerCertificate", "iam:GetInstanceProfile"]
    resources = ["${local.iam}:server-certificate/*", "${local.iam}:instance-profile/*"]
  }
  statement {
    sid       = "ListCertificatesAndInstanceProfiles"
    actions   = ["iam:ListServerCertificates", "iam:ListInstanceProfiles"]
    resources = ["*"]
  }
  statement {
    sid    = "NoIamChanges"
    effect = "Deny"
    actions = [
      "iam:Add*", "iam:Attach*", "iam:Change*", "iam:CreateAccessKey", "iam:CreateGroup",
      "iam:CreateInstanceProfile", "iam:CreateLoginProfile", "iam:CreateOpenIDConnectProvider",
      "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:CreateRole", "iam:CreateSAMLProvider",
      "iam:CreateServiceSpecificCredential", "iam:CreateUser", "iam:CreateVirtualMFADevice",
      "iam:Deactivate*", "iam:Delete*", "iam:Detach*", "iam:Enable*", "iam:Put*", "iam:Remove*",
      "iam:Reset*", "iam:Resync*", "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*", "iam:Upload*",
    ]
    resources = ["*"]
  }
  # The state bucket holds every environment of the account and Region, secrets included; only
  # the CI roles (scoped to their environment's prefix) and administrators read it. Without this,
  # a role the apply role creates (with s3:* and kms:* inside the boundary) could read another
  # environment's state.
  statement {
    sid       = "NoTerraformState"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::${var.state_bucket}", "arn:aws:s3:::${var.state_bucket}/*"]
  }
  statement {
    sid       = "NoTerraformStateKey"
    effect    = "Deny"
    actions   = ["kms:*"]
    resources = [var.state_kms_key_arn]
  }
}

resource "aws_iam_policy" "boundary" {
  name        = local.boundary_name
  description = "Permissions boundary of every role the ${var.name_prefix} stacks create: the platform's services, no IAM changes"
  policy      = data.aws_iam_policy_document.boundary.json
  tags        = var.tags
}
