# The environment's tier, Region and models (environments/<environment>/environment.yaml and
# environments/models.yaml): rules that differ between environments follow the tier.
module "environment" {
  source    = "../../modules/environment"
  name      = var.environment
  directory = "${path.module}/../../environments"
}

locals {
  tier       = module.environment.tier
  production = module.environment.production
}

locals {
  region      = module.environment.region
  chat_models = module.environment.models.chat
  # Deletion protection follows the tier unless an environment's tfvars opt out.
  shop_history_deletion_protection = coalesce(var.shop_history_deletion_protection, local.production)
  jupyterhub_deletion_protection   = coalesce(var.jupyterhub_deletion_protection, local.production)
}
