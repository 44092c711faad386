# The vector index is created from inside the VPC by a small Lambda (apps/vector_index) that
# Terraform invokes with the declared index. Whoever runs Terraform then needs neither a network
# path to the private collection nor a place in its data access policy, and a plan by another
# role reads nothing from the collection.

locals {
  index_manager_name = "${var.name}-kb-index"

  index_body = {
    settings = {
      index = {
        knn                        = true
        "knn.algo_param.ef_search" = 512
      }
    }
    mappings = {
      properties = {
        (local.fields.vector) = {
          type      = "knn_vector"
          dimension = var.embedding_dimensions
          method = {
            name       = "hnsw"
            engine     = "faiss"
            space_type = "l2"
            parameters = { m = 16, ef_construction = 512 }
          }
        }
        (local.fields.text)     = { type = "text", index = true }
        (local.fields.metadata) = { type = "text", index = false }
      }
    }
  }
}

resource "aws_security_group" "index_manager" {
  name_prefix = "${local.index_manager_name}-"
  description = "The ${local.index_manager_name} Lambda: HTTPS to the collection endpoint only"
  vpc_id      = var.vpc_endpoint.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "index_manager_to_collection" {
  security_group_id            = aws_security_group.index_manager.id
  description                  = "HTTPS to the collection's VPC endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.vpc_endpoint.id
  tags                         = var.tags
}

data "aws_iam_policy_document" "assume_by_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "index_manager" {
  name               = local.index_manager_name
  description        = "Lambda ${local.index_manager_name}: manages the vector index of ${local.collection_name}"
  assume_role_policy = data.aws_iam_policy_document.assume_by_lambda.json
  tags               = var.tags
}

# Network interfaces in the VPC (the AWS managed policy for VPC-attached functions).
resource "aws_iam_role_policy_attachment" "index_manager_vpc" {
  role       = aws_iam_role.index_manager.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

data "aws_iam_policy_document" "index_manager" {
  statement {
    sid       = "WriteItsLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.index_manager.arn}:*"]
  }
  statement {
    sid       = "ReachTheCollection"
    actions   = ["aoss:APIAccessAll"]
    resources = [aws_opensearchserverless_collection.this.arn]
  }
  # X-Ray takes no resource ARN for these two actions.
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "index_manager" {
  name   = "vector-index"
  role   = aws_iam_role.index_manager.id
  policy = data.aws_iam_policy_document.index_manager.json
}

resource "aws_cloudwatch_log_group" "index_manager" {
  name              = "/aws/lambda/${local.index_manager_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = var.tags
}

resource "aws_lambda_function" "index_manager" {
  # checkov:skip=CKV_AWS_116:Terraform invokes it synchronously and fails the apply on any error; a dead-letter queue applies to asynchronous invocations only.
  # checkov:skip=CKV_AWS_115:It runs once per apply; a reservation would only fail in new accounts whose concurrency quota is 10.
  # checkov:skip=CKV_AWS_272:The zip is built reproducibly from this repository by scripts/package-lambda; code signing is a per-organisation choice.
  # checkov:skip=CKV_AWS_173:It has no environment variables.
  function_name    = local.index_manager_name
  description      = "Creates the vector index of ${local.collection_name} (invoked by Terraform)"
  role             = aws_iam_role.index_manager.arn
  runtime          = "python3.13"
  architectures    = ["arm64"]
  handler          = "vector_index.handler.lambda_handler"
  filename         = var.index_manager_package
  source_code_hash = filebase64sha256(var.index_manager_package)
  # Policies of a new collection take a minute or two to apply; the function waits for them.
  timeout     = 300
  memory_size = 256
  tags        = var.tags

  vpc_config {
    subnet_ids         = var.vpc_endpoint.subnet_ids
    security_group_ids = [aws_security_group.index_manager.id]
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.index_manager.name
  }

  depends_on = [
    aws_iam_role_policy.index_manager,
    aws_iam_role_policy_attachment.index_manager_vpc,
  ]
}

locals {
  index_request = jsonencode({
    endpoint = aws_opensearchserverless_collection.this.collection_endpoint
    index    = var.index_name
    body     = local.index_body
  })
}

# Invoked once, and again whenever the request changes: a new mapping, or a new collection.
resource "aws_lambda_invocation" "index" {
  function_name = aws_lambda_function.index_manager.function_name
  input         = local.index_request
  triggers = {
    request = sha256(local.index_request)
  }

  depends_on = [
    aws_opensearchserverless_access_policy.data,
    aws_opensearchserverless_security_policy.network,
    aws_opensearchserverless_vpc_endpoint.this,
    aws_vpc_security_group_ingress_rule.vpc_endpoint_from_index_manager,
    aws_vpc_security_group_egress_rule.index_manager_to_collection,
  ]
}
