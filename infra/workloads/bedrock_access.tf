# What every assistant needs to converse: the catalog's models through their inference
# profiles, under the platform's guardrail. Each app's policy starts from this one.

locals {
  profile_arns = [
    for m in local.chat_models : "arn:aws:bedrock:${local.region}:${data.aws_caller_identity.current.account_id}:inference-profile/${m.model_id}"
  ]
  guardrail_env = {
    GUARDRAIL_ID      = data.aws_ssm_parameter.bedrock["guardrail-id"].value
    GUARDRAIL_VERSION = data.aws_ssm_parameter.bedrock["guardrail-version"].value
  }
}

data "aws_iam_policy_document" "converse" {
  statement {
    sid       = "InvokeCatalogInferenceProfiles"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = local.profile_arns
  }
  # A cross-region profile routes to the model in any of its destination Regions; the
  # condition allows that only when the call comes through one of the profiles above.
  statement {
    sid       = "InvokeCatalogModelsThroughProfiles"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = [for m in local.chat_models : "arn:aws:bedrock:*::foundation-model/${m.foundation_model_id}"]
    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = local.profile_arns
    }
  }
  statement {
    sid       = "ApplyThePlatformGuardrail"
    actions   = ["bedrock:ApplyGuardrail"]
    resources = [data.aws_ssm_parameter.bedrock["guardrail-arn"].value]
  }
}
