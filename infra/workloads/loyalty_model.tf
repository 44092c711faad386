# The fine-tuned loyalty-program model (issue: fine-tune Llama 3 with QLoRA): vLLM serves the
# base model with the adapter a fine-tuning run wrote to finetune/runs/<run>/adapter/. The run's
# manifest.json, read at plan time, gives the base model, the revision it resolved to and the
# LoRA rank, so serving cannot disagree with training; the manifest is uploaded last, so a run
# that has one is complete. Nothing runs until loyalty_adapter names a finished run.
# The base model's weights come from models/<hub id>/<revision>/ of the same bucket (mirrored
# once by `python -m finetune mirror-base-model`); later runs are hot-loaded with
# `python -m finetune serve` (README, "Serving a new run").

locals {
  serve_loyalty    = var.loyalty_adapter != null
  adapter_prefix   = local.serve_loyalty ? "${local.finetune_runs_prefix}${var.loyalty_adapter.run}/adapter/" : null
  loyalty_manifest = local.serve_loyalty ? jsondecode(data.aws_s3_object.loyalty_manifest[0].body) : null
  loyalty_base     = local.serve_loyalty ? coalesce(var.loyalty_adapter.base_model, local.loyalty_manifest.base_model.name) : null
  loyalty_revision = local.serve_loyalty ? try(coalesce(var.loyalty_adapter.base_model_revision, local.loyalty_manifest.base_model.resolved_revision, local.loyalty_manifest.base_model.revision), null) : null
  # python -m finetune mirror-base-model writes here (apps/finetune/mirror.py, MODELS_PREFIX).
  base_model_prefix = local.serve_loyalty ? "models/${local.loyalty_base}/${coalesce(local.loyalty_revision, "main")}/" : null
}

data "aws_s3_object" "loyalty_manifest" {
  count = local.serve_loyalty ? 1 : 0

  bucket = local.model_assets_bucket
  key    = "${local.adapter_prefix}manifest.json"

  lifecycle {
    postcondition {
      condition     = can(jsondecode(self.body).lora.r) && can(jsondecode(self.body).base_model.name)
      error_message = "s3://${local.model_assets_bucket}/${local.adapter_prefix}manifest.json is not a fine-tuning manifest readable here (python -m finetune uploads it last, as application/json): is the run finished?"
    }
  }
}

data "aws_iam_policy_document" "loyalty_model" {
  count = local.serve_loyalty ? 1 : 0

  statement {
    sid       = "ListTheModelAndRuns"
    actions   = ["s3:ListBucket"]
    resources = [local.model_assets_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.base_model_prefix}*", "${local.finetune_runs_prefix}*"]
    }
  }
  statement {
    sid       = "ReadTheModelAndAdapters"
    actions   = ["s3:GetObject"]
    resources = ["${local.model_assets_bucket_arn}/${local.base_model_prefix}*", "${local.model_assets_bucket_arn}/${local.finetune_runs_prefix}*/adapter/*"]
  }
  statement {
    sid       = "DecryptTheAdapterThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [local.model_assets_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

module "loyalty_model" {
  count  = local.serve_loyalty ? 1 : 0
  source = "../../modules/vllm-server"

  name              = "loyalty-model"
  namespace         = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name      = data.aws_eks_cluster.this.name
  role_name         = "${local.name}-loyalty-model"
  iam_policy_json   = data.aws_iam_policy_document.loyalty_model[0].json
  image             = var.vllm_image
  fetch_image       = var.aws_cli_image
  base_model        = local.loyalty_base
  base_model_s3_uri = "s3://${local.model_assets_bucket}/${local.base_model_prefix}"
  runs_s3_uri       = "s3://${local.model_assets_bucket}/${local.finetune_runs_prefix}"
  adapter = {
    name = var.loyalty_adapter.served_name
    run  = var.loyalty_adapter.run
    rank = local.loyalty_manifest.lora.r
  }
  api_key_secret = {
    name = local.generated_secret["loyalty-model-api-key"]
    key  = "api-key"
  }
  replicas             = var.loyalty_adapter.replicas
  max_model_len        = var.loyalty_adapter.max_model_len
  node_selector        = local.gpu_node_selector
  tolerations          = [local.gpu_toleration]
  permissions_boundary = local.permissions_boundary
  tags                 = local.tags
}
