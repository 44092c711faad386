environment = "prod"
# Replace: your repository, and the role you run the first apply with (it needs cluster-admin).
cluster_admin_arns = ["arn:aws:iam::123456789012:role/PlatformAdministrator"]
github_repository  = "example-org/genai-platform"

vpc_cidr     = "10.30.0.0/16"
az_count     = 3
nat_gateways = "per_az"

# Where the cluster-addons and workloads stacks and kubectl run from (README, "Reaching the
# cluster"). Replace: the networks of your self-hosted runners and VPN, connected to this VPC.
endpoint_public_access        = false
endpoint_private_access_cidrs = ["10.200.0.0/16"]

system_node_group = {
  instance_types = ["m6i.large", "m5.large"]
  min_size       = 3
  max_size       = 4
  desired_size   = 3
}
cpu_node_group = {
  instance_types = ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m5a.xlarge"]
  min_size       = 2
  max_size       = 10
  desired_size   = 2
}
gpu_node_group = {
  instance_types = ["g6.2xlarge"]
  min_size       = 0
  max_size       = 4
  desired_size   = 0
}
