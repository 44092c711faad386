# Test helper: finds subnets that overlap each other or leave the VPC. Two CIDRs overlap when
# their network addresses agree on the shorter of their two prefixes.
terraform {
  required_version = ">= 1.10"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
}

variable "subnet_cidrs" {
  description = "CIDRs of every subnet of the VPC."
  type        = list(string)
}

locals {
  n      = length(var.subnet_cidrs)
  prefix = [for c in var.subnet_cidrs : tonumber(split("/", c)[1])]
  # The network address of subnet i truncated to prefix length p.
  network = { for pair in setproduct(range(local.n), distinct(local.prefix)) : "${pair[0]}/${pair[1]}" => cidrhost(format("%s/%d", cidrhost(var.subnet_cidrs[pair[0]], 0), pair[1]), 0) }
}

output "overlapping" {
  description = "Pairs of subnets that overlap."
  value = [
    for pair in setproduct(range(local.n), range(local.n)) : [var.subnet_cidrs[pair[0]], var.subnet_cidrs[pair[1]]]
    if pair[0] < pair[1] && local.network["${pair[0]}/${min(local.prefix[pair[0]], local.prefix[pair[1]])}"] == local.network["${pair[1]}/${min(local.prefix[pair[0]], local.prefix[pair[1]])}"]
  ]
}

output "outside" {
  description = "Subnets not inside the VPC."
  value = [
    for c in var.subnet_cidrs : c
    if cidrhost(format("%s/%s", cidrhost(c, 0), split("/", var.vpc_cidr)[1]), 0) != cidrhost(var.vpc_cidr, 0)
  ]
}
