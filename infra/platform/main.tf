# The environment's tier, Region and models (environments/<environment>/environment.yaml and
# environments/models.yaml): rules that differ between environments follow the tier.
module "environment" {
  source    = "../../modules/environment"
  name      = var.environment
  directory = "${path.module}/../../environments"
}

locals {
  name = "${var.project}-${var.environment}"
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "platform"
    ManagedBy   = "terraform"
  }
  ssm_prefix = "/${var.project}/${var.environment}/platform"

  # What differs by tier, unless the environment's tfvars say otherwise: a production-tier
  # environment keeps its data.
  production                 = module.environment.production
  deletion_protection        = coalesce(var.deletion_protection, local.production)
  ecr_force_delete           = coalesce(var.ecr_force_delete, !local.production)
  model_assets_force_destroy = coalesce(var.model_assets_force_destroy, !local.production)
  # System nodes run on demand in every tier unless the tfvars say otherwise: the load balancer
  # controller and Karpenter run there, and two spot reclaims at once would stop both.
  system_node_group = merge(var.system_node_group, { capacity_type = coalesce(var.system_node_group.capacity_type, "ON_DEMAND") })
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
  # Every role the stacks create carries the boundary the CI apply role requires.
  permissions_boundary = module.github_oidc.permissions_boundary_arn
  tags                 = local.tags
}

# The account's GitHub OIDC provider comes from infra/bootstrap, like the state bucket.
module "github_oidc" {
  source = "../../modules/github-oidc"

  name_prefix       = local.name
  github_repository = var.github_repository
  environment       = var.environment
  state_bucket      = "${var.project}-tfstate-${data.aws_caller_identity.current.account_id}-${module.environment.region}"
  state_kms_key_arn = data.aws_kms_alias.state.target_key_arn
  parameter_path    = "/${var.project}/${var.environment}"
}

module "eks_cluster" {
  source = "../../modules/eks-cluster"

  name                          = local.name
  kubernetes_version            = var.kubernetes_version
  addon_versions                = var.eks_addon_versions
  permissions_boundary          = module.github_oidc.permissions_boundary_arn
  ami_release_version           = var.node_ami_release_version
  vpc_id                        = module.network.vpc_id
  subnet_ids                    = module.network.private_subnet_ids
  endpoint_public_access        = var.endpoint_public_access
  endpoint_public_access_cidrs  = var.endpoint_public_access_cidrs
  endpoint_private_access_cidrs = var.endpoint_private_access_cidrs
  cluster_admin_arns            = concat([module.github_oidc.apply_role_arn], var.cluster_admin_arns)
  cluster_viewer_arns           = [module.github_oidc.plan_role_arn]
  deletion_protection           = local.deletion_protection
  system_node_group             = local.system_node_group
  cpu_node_group                = var.cpu_node_group
  gpu_node_group                = var.gpu_node_group
  tags                          = local.tags
}

# A repository for each app whose declaration (apps/<package>/app.yaml) has an image.
locals {
  apps_dir     = "${path.module}/../../apps"
  declarations = [for file in fileset(local.apps_dir, "*/app.yaml") : yamldecode(file("${local.apps_dir}/${file}"))]
  image_apps   = toset([for app in local.declarations : app.name if try(app.image, null) != null])
}

module "container_registry" {
  source = "../../modules/container-registry"

  name_prefix  = "${var.project}/${var.environment}"
  repositories = local.image_apps
  force_delete = local.ecr_force_delete
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
  force_destroy = local.model_assets_force_destroy
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
      "permissions-boundary-arn" = module.github_oidc.permissions_boundary_arn
    },
    { for app, url in module.container_registry.repository_urls : "ecr/${app}" => url },
  )

  # checkov:skip=CKV2_AWS_34:Names and network ids are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Names and network ids are identifiers, not secrets.
  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
}
