environment = "dev"
# Replace: your repository, and the role you run the first apply with (it needs cluster-admin).
cluster_admin_arns = ["arn:aws:iam::123456789012:role/PlatformAdministrator"]
github_repository  = "example-org/genai-platform"

vpc_cidr     = "10.10.0.0/16"
az_count     = 2
nat_gateways = "single"

# Where the cluster-addons and workloads stacks and kubectl run from (README, "Reaching the
# cluster"). Replace: the public address(es) of your laptop, VPN or runners. The private endpoint
# is always on; list networks connected to the VPC in endpoint_private_access_cidrs.
endpoint_public_access        = true
endpoint_public_access_cidrs  = ["203.0.113.10/32"]
endpoint_private_access_cidrs = []

system_node_group = {
  instance_types = ["m6i.large", "m5.large", "m6a.large"]
  min_size       = 2
  max_size       = 3
  desired_size   = 2
}
cpu_node_group = {
  instance_types = ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m5a.xlarge"]
  min_size       = 0
  max_size       = 3
  desired_size   = 1
}
gpu_node_group = {
  instance_types = ["g6.2xlarge"]
  min_size       = 0
  max_size       = 1
  desired_size   = 0
}
