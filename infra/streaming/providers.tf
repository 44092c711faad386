provider "aws" {
  region = module.environment.region
  default_tags {
    tags = local.tags
  }
}
