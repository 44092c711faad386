# Fine-tuning jobs (apps/finetune): data scientists submit Kubernetes Jobs to the finetune
# namespace with `python -m finetune submit`; each Job runs on a spot GPU node as the
# finetune-job service account, whose Pod Identity role reads finetune/data/ and writes
# finetune/runs/ of the model-assets bucket. Gated base models (Llama 3) need a Hugging Face
# token: it lives in Secrets Manager, read at run time by the Job and the model server.

locals {
  finetune_data_prefix = "finetune/data/"
  finetune_runs_prefix = "finetune/runs/"
  finetune_sa          = "finetune-job"
  hf_token_key_alias   = "${local.name}-hugging-face-token"
  # The secret's ARN ends in six random characters: policies name it by this prefix.
  hf_token_secret_name = "${var.project}/${var.environment}/hugging-face-token"
  hf_token_secret_arns = "arn:aws:secretsmanager:${local.region}:${data.aws_caller_identity.current.account_id}:secret:${local.hf_token_secret_name}-??????"
}

resource "kubernetes_namespace_v1" "finetune" {
  metadata {
    name = "finetune"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

resource "kubernetes_service_account_v1" "finetune" {
  metadata {
    name      = local.finetune_sa
    namespace = kubernetes_namespace_v1.finetune.metadata[0].name
  }
  automount_service_account_token = false
}

module "hf_token_key" {
  source = "../../modules/kms-key"

  alias       = local.hf_token_key_alias
  description = "Encrypts the ${local.name} Hugging Face token"
  tags        = local.tags
}

# Terraform creates the secret, never its value: an administrator stores the token once
# (README, "Fine-tuning"), so it is in no state file, tfvars or CI log.
resource "aws_secretsmanager_secret" "hf_token" {
  # checkov:skip=CKV2_AWS_57:A Hugging Face access token is issued and revoked at huggingface.co; Secrets Manager cannot rotate it.
  name                    = local.hf_token_secret_name
  description             = "Hugging Face access token (read) for gated base models: fine-tuning jobs and the model server"
  kms_key_id              = module.hf_token_key.arn
  recovery_window_in_days = local.production ? 30 : 7
  tags                    = local.tags
}

data "aws_iam_policy_document" "read_hf_token" {
  statement {
    sid       = "ReadTheHuggingFaceToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.hf_token_secret_arns]
  }
  statement {
    sid       = "DecryptTheTokenThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:${local.region}:${data.aws_caller_identity.current.account_id}:key/*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.hf_token_key_alias}"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "finetune_job" {
  source_policy_documents = [
    data.aws_iam_policy_document.read_hf_token.json,
    data.aws_iam_policy_document.model_assets_key_through_s3.json,
  ]

  statement {
    sid       = "ListDataAndRuns"
    actions   = ["s3:ListBucket"]
    resources = [local.model_assets_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.finetune_data_prefix}*", "${local.finetune_runs_prefix}*"]
    }
  }
  statement {
    sid       = "ReadTrainingData"
    actions   = ["s3:GetObject"]
    resources = ["${local.model_assets_bucket_arn}/${local.finetune_data_prefix}*"]
  }
  # Checkpoints are read back to resume after a spot interruption, and replaced as training goes.
  statement {
    sid       = "WriteRuns"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${local.model_assets_bucket_arn}/${local.finetune_runs_prefix}*"]
  }
}

module "finetune_job_identity" {
  source = "../../modules/pod-identity-role"

  role_name            = "${local.name}-finetune-job"
  cluster_name         = data.aws_eks_cluster.this.name
  namespace            = kubernetes_namespace_v1.finetune.metadata[0].name
  service_account      = kubernetes_service_account_v1.finetune.metadata[0].name
  policy_json          = data.aws_iam_policy_document.finetune_job.json
  permissions_boundary = local.permissions_boundary
  tags                 = local.tags
}

# Who may submit, watch and cancel jobs: Kubernetes "edit" in the finetune namespace only.
# They also need eks:DescribeCluster and ssm:GetParametersByPath on /<project>/<env>/ in IAM.
resource "aws_eks_access_entry" "finetune_submitters" {
  for_each = toset(var.finetune_submitter_arns)

  cluster_name  = data.aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = local.tags
}

resource "aws_eks_access_policy_association" "finetune_submitters" {
  for_each = aws_eks_access_entry.finetune_submitters

  cluster_name  = data.aws_eks_cluster.this.name
  principal_arn = each.value.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"

  access_scope {
    type       = "namespace"
    namespaces = [kubernetes_namespace_v1.finetune.metadata[0].name]
  }
}

# What the launcher reads (genai_common.stacks): where to run and as whom.
resource "aws_ssm_parameter" "finetune" {
  # checkov:skip=CKV2_AWS_34:Names, an image reference and an ARN are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Names, an image reference and an ARN are identifiers, not secrets.
  for_each = {
    "finetune-namespace"       = kubernetes_namespace_v1.finetune.metadata[0].name
    "finetune-service-account" = kubernetes_service_account_v1.finetune.metadata[0].name
    "finetune-image"           = "${data.aws_ssm_parameter.ecr["finetune"].value}:${var.image_tag}"
    "hf-token-secret-arn"      = aws_secretsmanager_secret.hf_token.arn
  }

  name  = "/${var.project}/${var.environment}/workloads/${each.key}"
  type  = "String"
  value = each.value
  tags  = local.tags
}
