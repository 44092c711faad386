# Amazon Managed Service for Prometheus for one cluster: a workspace under its own KMS key and
# the managed (agentless) scraper that pulls the cluster's metrics into it. The cluster uses
# access entries (authentication mode API), so the service creates the scraper's access entry
# and its Kubernetes permissions itself when the scraper is created; nothing runs in the cluster.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # Any scraper of this account and Region: the scraper's own ARN exists only after the roles
  # it is created with.
  scraper_arns = "arn:${data.aws_partition.current.partition}:aps:${data.aws_region.current.region}:${local.account_id}:scraper/*"

  scrape_configuration = templatefile("${path.module}/scrape-config.yaml.tftpl", {
    scrape_interval = var.scrape_interval
    cluster_name    = var.cluster_name
  })
}

module "key" {
  source = "../kms-key"

  alias       = "${var.name}-prometheus"
  description = "Encrypts the ${var.name} Prometheus workspace"
  tags        = var.tags
}

resource "aws_prometheus_workspace" "this" {
  alias       = var.name
  kms_key_arn = module.key.arn
  # The service tags the workspace of a managed scraper; declaring the tag keeps plans clean.
  tags = merge(var.tags, { AMPAgentlessScraper = "" })
}

# A workspace under a customer managed key takes metrics only through a role configuration: the
# scraper assumes the source role, which assumes the target role that may write to the workspace.
data "aws_iam_policy_document" "source_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scraper.aps.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.scraper_arns]
    }
  }
}

resource "aws_iam_role" "source" {
  name                 = "${var.name}-prometheus-scraper"
  description          = "Assumed by the ${var.name} managed Prometheus scraper"
  assume_role_policy   = data.aws_iam_policy_document.source_trust.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "source" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.target.arn]
  }
}

resource "aws_iam_role_policy" "source" {
  name   = "assume-writer"
  role   = aws_iam_role.source.id
  policy = data.aws_iam_policy_document.source.json
}

data "aws_iam_policy_document" "target_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.source.arn]
    }
    # The scraper passes its own ARN as the external id.
    condition {
      test     = "StringLike"
      variable = "sts:ExternalId"
      values   = [local.scraper_arns]
    }
  }
}

resource "aws_iam_role" "target" {
  name                 = "${var.name}-prometheus-writer"
  description          = "Writes the ${var.name} scraper's samples to its Prometheus workspace"
  assume_role_policy   = data.aws_iam_policy_document.target_trust.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "target" {
  statement {
    sid       = "WriteTheWorkspace"
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.this.arn]
  }
  statement {
    sid       = "EncryptThroughPrometheus"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["aps.${data.aws_region.current.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "target" {
  name   = "remote-write"
  role   = aws_iam_role.target.id
  policy = data.aws_iam_policy_document.target.json
}

resource "aws_prometheus_scraper" "this" {
  alias                = var.name
  scrape_configuration = local.scrape_configuration

  source {
    eks {
      cluster_arn = var.cluster_arn
      # The scraper's network interfaces: at least two zones; the NetworkPolicies of the
      # scraped pods admit these subnets' CIDRs on the metrics ports.
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  destination {
    amp {
      workspace_arn = aws_prometheus_workspace.this.arn
    }
  }

  role_configuration {
    source_role_arn = aws_iam_role.source.arn
    target_role_arn = aws_iam_role.target.arn
  }

  tags = var.tags

  # The roles must be able to write before the service checks them.
  depends_on = [aws_iam_role_policy.source, aws_iam_role_policy.target]
}
