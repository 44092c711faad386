output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = module.vpc.vpc_cidr_block
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (nodes, internal load balancers), one per AZ."
  value       = module.vpc.private_subnets
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (NAT gateways, internet-facing load balancers), one per AZ."
  value       = module.vpc.public_subnets
}

output "azs" {
  description = "Availability zones the subnets are in."
  value       = local.azs
}

output "private_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the private subnets, in the order of azs."
  value       = local.private_subnets
}

output "public_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the public subnets, in the order of azs."
  value       = local.public_subnets
}
