locals {
  name = "${var.project}-${var.environment}"
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "platform"
    ManagedBy   = "terraform"
  }
  ssm_prefix = "/${var.project}/${var.environment}/platform"
}

data "aws_caller_identity" "current" {}

# Created by infra/bootstrap under deterministic names.
data "aws_kms_alias" "state" {
  name = "alias/${var.project}-tfstate"
}

module "network" {
  source = "../../modules/network"

  name         = local.name
  cidr         = var.vpc_cidr
  az_count     = var.az_count
  nat_gateways = var.nat_gateways
  cluster_name = local.name
  tags         = local.tags
}

# The account's GitHub OIDC provider comes from infra/bootstrap, like the state bucket.
module "github_oidc" {
  source = "../../modules/github-oidc"

  name_prefix       = local.name
  github_repository = var.github_repository
  environment       = var.environment
  state_bucket      = "${var.project}-tfstate-${data.aws_caller_identity.current.account_id}-${var.region}"
  state_kms_key_arn = data.aws_kms_alias.state.target_key_arn
}

module "eks_cluster" {
  source = "../../modules/eks-cluster"

  name                          = local.name
  kubernetes_version            = var.kubernetes_version
  ami_release_version           = var.node_ami_release_version
  vpc_id                        = module.network.vpc_id
  subnet_ids                    = module.network.private_subnet_ids
  endpoint_public_access        = var.endpoint_public_access
  endpoint_public_access_cidrs  = var.endpoint_public_access_cidrs
  endpoint_private_access_cidrs = var.endpoint_private_access_cidrs
  cluster_admin_arns            = concat([module.github_oidc.apply_role_arn], var.cluster_admin_arns)
  cluster_viewer_arns           = [module.github_oidc.plan_role_arn]
  deletion_protection           = var.deletion_protection
  system_node_group             = var.system_node_group
  cpu_node_group                = var.cpu_node_group
  gpu_node_group                = var.gpu_node_group
  tags                          = local.tags
}

module "container_registry" {
  source = "../../modules/container-registry"

  name_prefix  = "${var.project}/${var.environment}"
  repositories = var.apps
  force_delete = var.ecr_force_delete
}

# Data sets, the shop catalog, fine-tuned adapters, notebooks' files and Qdrant snapshots of the
# environment. It outlives the workloads that use it; the workloads stack gives each app a prefix.
module "model_assets_key" {
  source = "../../modules/kms-key"

  alias       = "${local.name}-model-assets"
  description = "Encrypts the ${local.name} model-assets bucket"
  tags        = local.tags
}

module "model_assets" {
  source = "../../modules/private-bucket"

  name          = "${local.name}-model-assets-${data.aws_caller_identity.current.account_id}"
  kms_key_arn   = module.model_assets_key.arn
  force_destroy = var.model_assets_force_destroy
  tags          = local.tags
}

# Downstream stacks read these instead of having IDs copied into their tfvars.
resource "aws_ssm_parameter" "outputs" {
  for_each = merge(
    {
      "cluster-name"             = module.eks_cluster.cluster_name
      "vpc-id"                   = module.network.vpc_id
      "vpc-cidr"                 = module.network.vpc_cidr_block
      "private-subnet-ids"       = join(",", module.network.private_subnet_ids)
      "system-node-selector"     = jsonencode(module.eks_cluster.node_groups["system"].labels)
      "gpu-node-selector"        = jsonencode(module.eks_cluster.gpu_node_selector)
      "gpu-toleration"           = jsonencode(module.eks_cluster.gpu_toleration)
      "model-assets-bucket"      = module.model_assets.name
      "model-assets-kms-key-arn" = module.model_assets_key.arn
      # An EBS volume lives in one zone: notebooks and their home volumes stay in this one,
      # the first zone of the VPC, so a notebook never meets its volume in another zone.
      "notebook-zone" = module.network.azs[0]
    },
    { for app, url in module.container_registry.repository_urls : "ecr/${app}" => url },
  )

  # checkov:skip=CKV2_AWS_34:Names and network ids are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Names and network ids are identifiers, not secrets.
  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
}
