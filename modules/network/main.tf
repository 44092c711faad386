data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394:Only the first az_count zones (sorted by name) are used; a new zone sorts after them and changes nothing.
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.az_count
      error_message = "The Region has ${length(self.names)} availability zones that need no opt-in; az_count asks for ${var.az_count}."
    }
  }
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  # Of a /16: a /20 private subnet per AZ (4,096 addresses: pods take VPC IPs with the VPC CNI)
  # in the first quarter, a /24 public one per AZ right after it. Both scale with the VPC's size
  # and stay apart for every allowed az_count (tests/subnets.tftest.hcl).
  private_subnets = [for i, _ in local.azs : cidrsubnet(var.cidr, 4, i)]
  public_subnets  = [for i, _ in local.azs : cidrsubnet(var.cidr, 8, 64 + i)]
}

module "vpc" {
  # checkov:skip=CKV_TF_1:Registry modules are pinned to a minor version (~>), the convention for this repository; registry versions are immutable.
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.6"

  name = var.name
  cidr = var.cidr
  azs  = local.azs

  private_subnets = local.private_subnets
  public_subnets  = local.public_subnets

  enable_nat_gateway     = true
  single_nat_gateway     = var.nat_gateways == "single"
  one_nat_gateway_per_az = var.nat_gateways == "per_az"
  enable_dns_hostnames   = true

  # The default security group is emptied so nothing can use it by accident.
  manage_default_security_group = true

  enable_flow_log                                 = true
  create_flow_log_cloudwatch_log_group            = true
  create_flow_log_cloudwatch_iam_role             = true
  flow_log_max_aggregation_interval               = 60
  flow_log_cloudwatch_log_group_retention_in_days = var.flow_log_retention_days
  # Named under the environment's prefix: the CI apply role may manage only those IAM names.
  vpc_flow_log_iam_role_name        = "${var.name}-vpc-flow-log"
  vpc_flow_log_iam_policy_name      = "${var.name}-vpc-flow-log"
  vpc_flow_log_permissions_boundary = var.permissions_boundary

  public_subnet_tags = {
    "kubernetes.io/role/elb"                    = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb"           = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }

  tags = var.tags
}
