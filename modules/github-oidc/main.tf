locals {
  issuer       = "token.actions.githubusercontent.com"
  account_id   = data.aws_caller_identity.current.account_id
  region       = data.aws_region.current.region
  provider_arn = data.aws_iam_openid_connect_provider.github.arn
  state_prefix = "arn:aws:s3:::${var.state_bucket}/${var.environment}"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

# One per account, created by infra/bootstrap.
data "aws_iam_openid_connect_provider" "github" {
  url = "https://${local.issuer}"
}

data "aws_iam_policy_document" "trust" {
  for_each = {
    plan  = "${var.environment}-plan"
    apply = var.environment
  }

  statement {
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
    # Only jobs that run in this repository's matching GitHub environment.
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.value}"]
    }
  }
}

resource "aws_iam_role" "github" {
  for_each = data.aws_iam_policy_document.trust

  name                 = "${var.name_prefix}-github-${each.key}"
  description          = "GitHub Actions ${each.key} role for ${var.github_repository} (${var.environment})"
  assume_role_policy   = each.value.json
  max_session_duration = 3600
  tags                 = var.tags
}

# Plan reads everything Terraform refreshes; it writes nothing but the state lock file.
resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.github["plan"].name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "state" {
  for_each = aws_iam_role.github

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
    sid       = "UseStateKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.state_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "state" {
  for_each = aws_iam_role.github

  name   = "terraform-state"
  role   = each.value.name
  policy = data.aws_iam_policy_document.state[each.key].json
}

# iam:PassRole is limited to roles named <name_prefix>-* (EKS, node groups, Lambda need it);
# s3:* is limited to buckets named <name_prefix>-*.
#trivy:ignore:AVD-AWS-0342
#trivy:ignore:AVD-AWS-0345
data "aws_iam_policy_document" "apply" {
  # checkov:skip=CKV_AWS_107:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_108:The deploy role creates the platform; every service action is confined to this account and Region.
  # checkov:skip=CKV_AWS_109:The deploy role creates the platform; IAM changes are confined to names under name_prefix.
  # checkov:skip=CKV_AWS_110:The deploy role creates the platform; IAM changes are confined to names under name_prefix.
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
  statement {
    sid       = "ActionsWithoutResourceArns"
    actions   = var.unscoped_actions
    resources = ["*"]
  }
  statement {
    sid = "ManagePlatformIam"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
      "iam:TagRole", "iam:UntagRole", "iam:PassRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:ListInstanceProfilesForRole",
      "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
      "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
      "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
      "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
    ]
    resources = [
      "arn:aws:iam::${local.account_id}:role/${var.name_prefix}-*",
      "arn:aws:iam::${local.account_id}:policy/${var.name_prefix}-*",
      "arn:aws:iam::${local.account_id}:instance-profile/${var.name_prefix}-*",
    ]
  }
  statement {
    sid       = "ReadTheGitHubOidcProvider"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = [local.provider_arn]
  }
  # Creating an OpenSearch Serverless VPC endpoint (the bedrock stack) creates and associates a
  # private hosted zone with the caller's credentials ("Access Amazon OpenSearch Serverless using
  # an interface endpoint"). Route 53 has no Region or name to scope these to.
  statement {
    sid = "PrivateHostedZonesOfVpcEndpoints"
    actions = [
      "route53:AssociateVPCWithHostedZone", "route53:ChangeResourceRecordSets", "route53:DeleteHostedZone",
      "route53:GetHostedZone", "route53:ListResourceRecordSets",
    ]
    resources = ["arn:aws:route53:::hostedzone/*"]
  }
  statement {
    sid       = "FollowRoute53Changes"
    actions   = ["route53:GetChange"]
    resources = ["arn:aws:route53:::change/*"]
  }
  statement {
    sid       = "CreateServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${local.account_id}:role/aws-service-role/*"]
  }
}

resource "aws_iam_policy" "apply" {
  name        = "${var.name_prefix}-github-apply"
  description = "What the GitHub apply role may change: the platform's services in ${local.region}, IAM under ${var.name_prefix}-*"
  policy      = data.aws_iam_policy_document.apply.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "apply" {
  role       = aws_iam_role.github["apply"].name
  policy_arn = aws_iam_policy.apply.arn
}
