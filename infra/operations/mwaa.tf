# The Amazon MWAA environment: Airflow 3.0.6 with a private web server, in two private subnets
# of the platform VPC, reading DAGs from its own versioned bucket (published by CI,
# scripts/publish-dags) and its Python requirements from requirements.txt there (uploaded
# here from apps/bedrock_ops/mwaa-requirements.txt, pinned to Airflow's constraints for 3.0.6).
# Airflow Variables come from SSM (ssm.tf) through the Systems Manager secrets backend.

locals {
  # Fixed by the DAGs: they are written and tested against Airflow 3.0.6 (issue 14 contract).
  airflow_version   = "3.0.6"
  requirements_path = "${path.module}/../../apps/bedrock_ops/mwaa-requirements.txt"
  dags_path         = "dags/"

  # MWAA needs exactly two private subnets in two Availability Zones; the platform lists its
  # private subnets one per zone, in zone order.
  mwaa_subnet_ids = slice(local.subnet_ids, 0, min(2, length(local.subnet_ids)))

  airflow_configuration = {
    "secrets.backend" = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
    "secrets.backend_kwargs" = jsonencode({
      variables_prefix   = local.airflow_variables
      connections_prefix = local.airflow_connections
    })
  }
}

# The DAGs bucket exists with MWAA off too: CI publishes the DAGs to it in every environment,
# and turning MWAA on finds them there.
module "airflow_bucket" {
  source = "../../modules/private-bucket"

  name          = "${local.environment_name}-${local.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = local.force_destroy
  tags          = local.tags
}

# A new requirements file is a new object version; the environment is updated to it.
resource "aws_s3_object" "requirements" {
  bucket       = module.airflow_bucket.name
  key          = "requirements.txt"
  source       = local.requirements_path
  source_hash  = try(filemd5(local.requirements_path), null)
  content_type = "text/plain"
  kms_key_id   = module.key.arn
  tags         = local.tags

  # Versioning on first: an object written before it has no version for the environment to pin.
  depends_on = [module.airflow_bucket]

  lifecycle {
    precondition {
      condition     = fileexists(local.requirements_path)
      error_message = "apps/bedrock_ops/mwaa-requirements.txt is missing: MWAA installs the DAGs' requirements from it."
    }
  }
}

# The DAGs folder MWAA is pointed at exists before CI's first publish.
resource "aws_s3_object" "dags_folder" {
  bucket     = module.airflow_bucket.name
  key        = local.dags_path
  content    = ""
  kms_key_id = module.key.arn
  tags       = local.tags
}

# MWAA would create its log groups without retention; created here first, they expire and are
# encrypted with the stack's key (MWAA writes to existing groups of its names).
resource "aws_cloudwatch_log_group" "airflow" {
  for_each = var.mwaa_enabled ? local.log_group_names : {}

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = local.tags
}

resource "aws_security_group" "airflow" {
  count = var.mwaa_enabled ? 1 : 0

  # checkov:skip=CKV2_AWS_5:Attached to the MWAA environment through its network_configuration.
  name_prefix = "${local.environment_name}-"
  description = "MWAA ${local.environment_name}: its containers to each other, HTTPS out"
  vpc_id      = local.vpc_id
  tags        = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# MWAA's containers, its metadata database endpoint and its web server endpoint share the group
# and must reach each other on any port (MWAA's documented requirement).
resource "aws_vpc_security_group_ingress_rule" "airflow_self" {
  count = var.mwaa_enabled ? 1 : 0

  security_group_id            = aws_security_group.airflow[0].id
  description                  = "The environment's own containers and endpoints"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.airflow[0].id
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "airflow_self" {
  count = var.mwaa_enabled ? 1 : 0

  security_group_id            = aws_security_group.airflow[0].id
  description                  = "The environment's own containers and endpoints"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.airflow[0].id
  tags                         = local.tags
}

# AWS APIs (S3, SQS, CloudWatch, SSM, Bedrock) and PyPI through the VPC's NAT gateways, the
# competency pages, and the results collection through its VPC endpoint: all HTTPS.
#trivy:ignore:AVD-AWS-0104
resource "aws_vpc_security_group_egress_rule" "airflow_https" {
  count = var.mwaa_enabled ? 1 : 0

  security_group_id = aws_security_group.airflow[0].id
  description       = "HTTPS to AWS APIs, PyPI, the competency pages and the collection endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

# The private web server's endpoint sits in the group: only the listed networks reach it.
resource "aws_vpc_security_group_ingress_rule" "airflow_webserver" {
  for_each = var.mwaa_enabled ? toset(var.webserver_allowed_cidrs) : toset([])

  security_group_id = aws_security_group.airflow[0].id
  description       = "The Airflow web server from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
  tags              = local.tags
}

resource "aws_mwaa_environment" "this" {
  count = var.mwaa_enabled ? 1 : 0

  name               = local.environment_name
  airflow_version    = local.airflow_version
  environment_class  = var.environment_class
  min_workers        = var.min_workers
  max_workers        = var.max_workers
  schedulers         = var.schedulers
  execution_role_arn = aws_iam_role.airflow[0].arn
  kms_key            = module.key.arn

  source_bucket_arn              = module.airflow_bucket.arn
  dag_s3_path                    = local.dags_path
  requirements_s3_path           = aws_s3_object.requirements.key
  requirements_s3_object_version = aws_s3_object.requirements.version_id

  webserver_access_mode           = "PRIVATE_ONLY"
  endpoint_management             = "SERVICE"
  weekly_maintenance_window_start = var.maintenance_window_start
  airflow_configuration_options   = local.airflow_configuration

  network_configuration {
    subnet_ids         = local.mwaa_subnet_ids
    security_group_ids = [aws_security_group.airflow[0].id]
  }

  logging_configuration {
    dag_processing_logs {
      enabled   = true
      log_level = var.airflow_log_level
    }
    scheduler_logs {
      enabled   = true
      log_level = var.airflow_log_level
    }
    task_logs {
      enabled   = true
      log_level = var.airflow_log_level
    }
    webserver_logs {
      enabled   = true
      log_level = var.airflow_log_level
    }
    worker_logs {
      enabled   = true
      log_level = var.airflow_log_level
    }
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = length(local.subnet_ids) >= 2
      error_message = "MWAA needs two private subnets in two Availability Zones; the platform publishes fewer (/${var.project}/${var.environment}/platform/private-subnet-ids)."
    }
  }

  # Creating the environment checks the role's access to the bucket, and starts writing logs.
  depends_on = [
    aws_iam_role_policy.airflow,
    aws_cloudwatch_log_group.airflow,
    aws_s3_object.dags_folder,
    aws_vpc_security_group_ingress_rule.airflow_self,
    aws_vpc_security_group_egress_rule.airflow_self,
    aws_vpc_security_group_egress_rule.airflow_https,
  ]
}
