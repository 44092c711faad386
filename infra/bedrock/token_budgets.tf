# The apps' daily token budgets (apps/genai_common/metering/metering.json, budget_table): one item per app
# and day and per app, user and day, charged by genai_common with conditional atomic updates and
# expired by DynamoDB through the TTL attribute. Here because it must exist before the apps of
# this stack (the code-generation API) and of the workloads stack.

locals {
  metering          = jsondecode(file("${local.apps_dir}/genai_common/metering/metering.json"))
  budget_table_spec = local.metering.budget_table
  budget_table      = "${local.name}-${local.budget_table_spec.logical_name}"
}

module "token_budget_key" {
  source = "../../modules/kms-key"

  alias       = local.budget_table
  description = "Encrypts the ${local.name} apps' token budgets"
  tags        = local.tags
}

resource "aws_dynamodb_table" "token_budgets" {
  name                        = local.budget_table
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = local.budget_table_spec.hash_key.name
  deletion_protection_enabled = local.production

  attribute {
    name = local.budget_table_spec.hash_key.name
    type = local.budget_table_spec.hash_key.type
  }

  ttl {
    attribute_name = local.budget_table_spec.ttl
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = module.token_budget_key.arn
  }
}

# What genai_common's meter calls (GetItem to check, a conditional UpdateItem to charge), for the
# roles of this stack's metered apps; the workloads stack writes its own from the same parameters.
data "aws_iam_policy_document" "charge_token_budgets" {
  statement {
    sid       = "CheckAndChargeTokenBudgets"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.token_budgets.arn]
  }
  statement {
    sid       = "UseTheBudgetKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.token_budget_key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com"]
    }
  }
}
