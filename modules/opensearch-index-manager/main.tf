# Indexes of a private OpenSearch Serverless collection, created from inside the VPC by a small
# Lambda (apps/vector_index) that Terraform invokes with each declared index. Whoever runs
# Terraform then needs neither a network path to the collection nor a place in its data access
# policy, and a plan by another role reads nothing from the collection.

resource "aws_security_group" "this" {
  # checkov:skip=CKV2_AWS_5:Attached to the index manager Lambda, through module.function's vpc input.
  name_prefix = "${var.name}-"
  description = "The ${var.name} Lambda: HTTPS to the collection endpoint only"
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "to_collection" {
  security_group_id            = aws_security_group.this.id
  description                  = "HTTPS to the collection's VPC endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.vpc_endpoint_security_group_id
  tags                         = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReachTheCollection"
    actions   = ["aoss:APIAccessAll"]
    resources = [var.collection_arn]
  }
}

module "function" {
  source = "../lambda-function"

  permissions_boundary = var.permissions_boundary

  name         = var.name
  description  = var.description
  handler      = "vector_index.handler.lambda_handler"
  package_path = var.package_path
  policy_json  = data.aws_iam_policy_document.this.json
  kms_key_arn  = var.kms_key_arn
  # Policies of a new collection take a minute or two to apply; the function waits for them.
  timeout            = 300
  log_retention_days = var.log_retention_days
  tags               = var.tags

  vpc = {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.this.id]
  }
}

# What the caller must have in place first (the data access policy naming this function's role,
# the network policy, the endpoint's ingress rule from this function): passed as values, since a
# depends_on on this module would wait for the rule that needs this module's security group.
resource "terraform_data" "ready" {
  input = var.ready_after
}

# Invoked once per index, and again whenever its body or the collection changes (the provider
# replaces the invocation).
resource "aws_lambda_invocation" "index" {
  for_each = var.indexes

  function_name = module.function.function_name
  input = jsonencode({
    endpoint = var.collection_endpoint
    index    = each.key
    body     = each.value
  })

  depends_on = [terraform_data.ready, aws_vpc_security_group_egress_rule.to_collection]
}
