variable "name" {
  description = "Name of the EKS cluster, e.g. genai-dev."
  type        = string

  # IAM role names are at most 64 characters, and the longest one here is <name>-gpu-spot-node.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,49}$", var.name))
    error_message = "name must be 2-50 lower-case letters, digits or dashes, starting with a letter (IAM role names derived from it are limited to 64 characters)."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes <major>.<minor> version of the control plane and node groups. The default is in EKS standard support (1.36: until August 2027); upgrade_policy STANDARD has EKS upgrade the cluster when it ends rather than bill extended support. Change it together with addon_versions."
  type        = string
  # renovate: datasource=endoflife-date depName=amazon-eks
  default  = "1.36"
  nullable = false

  # From 1.30 EKS no longer marks gp2 as the default StorageClass, so gp3 (modules/cluster-addons)
  # is the only default without touching gp2.
  validation {
    condition     = can(regex("^1\\.(3[0-9]|[4-9][0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.30 or later, written <major>.<minor> (e.g. 1.36)."
  }
}

# Exact versions, bumped on purpose (Renovate proposes them): without one the EKS module takes the
# newest build AWS publishes, and every new build would show up in the next plan and be applied.
# `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` lists them.
variable "addon_versions" {
  description = "Exact version of each EKS add-on, for kubernetes_version."
  type = object({
    vpc-cni                = string
    coredns                = string
    kube-proxy             = string
    eks-pod-identity-agent = string
    aws-ebs-csi-driver     = string
  })
  nullable = false
  default = {
    # renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"vpc-cni"}
    vpc-cni = "v1.22.4-eksbuild.3"
    # renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"coredns"}
    coredns = "v1.14.3-eksbuild.14"
    # renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"kube-proxy"}
    kube-proxy = "v1.36.0-eksbuild.17"
    # renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"eks-pod-identity-agent"}
    eks-pod-identity-agent = "v1.3.10-eksbuild.3"
    # renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"aws-ebs-csi-driver"}
    aws-ebs-csi-driver = "v1.66.0-eksbuild.1"
  }

  validation {
    condition     = alltrue([for v in values(var.addon_versions) : can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", v))])
    error_message = "addon_versions takes exact EKS add-on versions such as v1.22.4-eksbuild.3."
  }
  # kube-proxy follows the control plane's minor version.
  validation {
    condition     = startswith(var.addon_versions["kube-proxy"], "v${var.kubernetes_version}.")
    error_message = "addon_versions.kube-proxy must be a build of kubernetes_version (v<kubernetes_version>.x-eksbuild.n)."
  }
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary every IAM role of the cluster carries (the cluster, node and controller roles): the CI apply role creates no role without it (modules/github-oidc)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", var.permissions_boundary))
    error_message = "permissions_boundary must be the ARN of a customer managed policy."
  }
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the control plane ENIs and the nodes (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs subnets in at least two availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API is reachable from the internet, and then only from endpoint_public_access_cidrs. The private endpoint is always on."
  type        = bool
  default     = false
}

variable "endpoint_public_access_cidrs" {
  description = "Public CIDRs allowed to the public endpoint when it is on: the egress addresses of the operators and runners that run kubectl or the cluster-addons and workloads stacks."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_public_access_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "endpoint_public_access_cidrs takes IPv4 CIDRs; 0.0.0.0/0 is refused: list the networks that need the API."
  }
  validation {
    condition     = !var.endpoint_public_access || length(var.endpoint_public_access_cidrs) > 0
    error_message = "endpoint_public_access needs endpoint_public_access_cidrs: the public endpoint is never opened to everyone."
  }
}

variable "endpoint_private_access_cidrs" {
  description = "CIDRs inside the VPC or connected to it (VPN, peered or transit networks, self-hosted runners) allowed to the private endpoint on 443. The nodes are always allowed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_private_access_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "endpoint_private_access_cidrs takes IPv4 CIDRs other than 0.0.0.0/0."
  }
}

variable "cluster_admin_arns" {
  description = "IAM roles granted cluster-admin through EKS access entries: the CI apply role, and the roles of the operators who apply the cluster-addons and workloads stacks."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in concat(var.cluster_admin_arns, var.cluster_viewer_arns) : can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "cluster_admin_arns and cluster_viewer_arns take IAM role or user ARNs (for SSO, the role ARN without its aws-reserved path's session part)."
  }
}

variable "cluster_viewer_arns" {
  description = "IAM principals granted read-only access (AmazonEKSAdminViewPolicy) through access entries, e.g. the CI plan role."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster until this is turned off."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the control-plane logs in CloudWatch Logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention periods: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]."
  }
}

variable "system_node_group" {
  description = "Node group for cluster add-ons and controllers. capacity_type ON_DEMAND or SPOT."
  type = object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
  })
  default = {
    instance_types = ["m6i.large", "m5.large"]
    capacity_type  = "ON_DEMAND"
    min_size       = 2
    max_size       = 3
    desired_size   = 2
  }

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.system_node_group.capacity_type)
    error_message = "system_node_group.capacity_type must be ON_DEMAND or SPOT."
  }
  # The load balancer controller and CoreDNS need a node before anything else can start.
  validation {
    condition     = var.system_node_group.min_size >= 1
    error_message = "system_node_group.min_size must be at least 1."
  }
  validation {
    condition     = var.system_node_group.min_size >= 0 && var.system_node_group.min_size <= var.system_node_group.desired_size && var.system_node_group.desired_size <= var.system_node_group.max_size && var.system_node_group.max_size >= 1 && length(var.system_node_group.instance_types) >= 1 && length(var.system_node_group.instance_types) <= 20 && var.system_node_group.disk_size_gib >= 20
    error_message = "system_node_group: sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1, with 1 to 20 instance types and a disk of at least 20 GiB."
  }
}

variable "cpu_node_group" {
  description = "Spot node group for CPU workloads (the apps). Several instance types keep spot capacity available."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
  })
  default = {
    instance_types = ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m5a.xlarge"]
    min_size       = 1
    max_size       = 5
    desired_size   = 1
  }

  validation {
    condition     = var.cpu_node_group.min_size >= 0 && var.cpu_node_group.min_size <= var.cpu_node_group.desired_size && var.cpu_node_group.desired_size <= var.cpu_node_group.max_size && var.cpu_node_group.max_size >= 1 && length(var.cpu_node_group.instance_types) >= 1 && length(var.cpu_node_group.instance_types) <= 20 && var.cpu_node_group.disk_size_gib >= 20
    error_message = "cpu_node_group: sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1, with 1 to 20 instance types and a disk of at least 20 GiB."
  }
}

variable "gpu_node_group" {
  description = "Spot GPU node group (AL2023 NVIDIA AMI), tainted nvidia.com/gpu=true:NoSchedule. min_size 0 lets it scale to zero when an autoscaler runs."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 200)
  })
  default = {
    instance_types = ["g6.2xlarge"]
    min_size       = 0
    max_size       = 2
    desired_size   = 0
  }

  validation {
    condition     = var.gpu_node_group.min_size >= 0 && var.gpu_node_group.min_size <= var.gpu_node_group.desired_size && var.gpu_node_group.desired_size <= var.gpu_node_group.max_size && var.gpu_node_group.max_size >= 1 && length(var.gpu_node_group.instance_types) >= 1 && length(var.gpu_node_group.instance_types) <= 20 && var.gpu_node_group.disk_size_gib >= 20
    error_message = "gpu_node_group: sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1, with 1 to 20 instance types and a disk of at least 20 GiB."
  }
}

variable "ami_release_version" {
  description = "EKS-optimized AMI release of every node group (e.g. 1.36.2-20261015); null keeps the release each group has (the latest when it was created). Changing it rolls the nodes."
  type        = string
  default     = null

  validation {
    condition     = var.ami_release_version == null || can(regex("^1\\.[0-9]+\\.[0-9]+-[0-9]{8}$", coalesce(var.ami_release_version, "-")))
    error_message = "ami_release_version must look like 1.36.2-20261015 (the AMI release, not an AMI id)."
  }
}

variable "tags" {
  description = "Tags added to every AWS resource."
  type        = map(string)
  default     = {}
}
