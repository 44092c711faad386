data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  root_volume = { for group, size in {
    system = var.system_node_group.disk_size_gib
    cpu    = var.cpu_node_group.disk_size_gib
    gpu    = var.gpu_node_group.disk_size_gib
    } : group => {
    xvda = {
      device_name = "/dev/xvda"
      ebs = {
        volume_size           = size
        volume_type           = "gp3"
        encrypted             = true
        delete_on_termination = true
      }
    }
  } }

  access_entries = merge(
    { for i, arn in var.cluster_admin_arns : "admin-${i}" => {
      principal_arn = arn
      policy_associations = {
        admin = {
          policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    } },
    { for i, arn in var.cluster_viewer_arns : "viewer-${i}" => {
      principal_arn = arn
      policy_associations = {
        view = {
          policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"
          access_scope = { type = "cluster" }
        }
      }
    } },
  )

  # Networks inside or connected to the VPC (VPN, self-hosted runners) reach the private
  # endpoint through the control plane's security group; the nodes are allowed by the module.
  private_api_rules = length(var.endpoint_private_access_cidrs) == 0 ? {} : {
    ingress_private_api_clients = {
      description = "Kubernetes API clients inside or connected to the VPC"
      protocol    = "tcp"
      from_port   = 443
      to_port     = 443
      type        = "ingress"
      cidr_blocks = var.endpoint_private_access_cidrs
    }
  }

  # Names are fixed, not prefixes, and under var.name: the CI apply role may manage only IAM
  # names that start with it (modules/github-oidc). Nodes keep their AMI release until
  # ami_release_version changes it: the module's default follows every release AWS publishes,
  # so an unrelated plan would roll every node, GPU nodes included.
  node_group_defaults = {
    use_latest_ami_release_version = false
    ami_release_version            = var.ami_release_version
  }
  node_groups = { for name, group in local.node_group_settings : name => merge(local.node_group_defaults, group) }
  node_group_settings = {
    system = {
      iam_role_name            = "${var.name}-system-node"
      iam_role_use_name_prefix = false
      ami_type                 = "AL2023_x86_64_STANDARD"
      instance_types           = var.system_node_group.instance_types
      capacity_type            = var.system_node_group.capacity_type
      min_size                 = var.system_node_group.min_size
      max_size                 = var.system_node_group.max_size
      desired_size             = var.system_node_group.desired_size
      block_device_mappings    = local.root_volume.system
      labels                   = { "genai.platform/node-pool" = "system" }
      taints                   = {}
    }
    cpu-spot = {
      iam_role_name            = "${var.name}-cpu-spot-node"
      iam_role_use_name_prefix = false
      ami_type                 = "AL2023_x86_64_STANDARD"
      instance_types           = var.cpu_node_group.instance_types
      capacity_type            = "SPOT"
      min_size                 = var.cpu_node_group.min_size
      max_size                 = var.cpu_node_group.max_size
      desired_size             = var.cpu_node_group.desired_size
      block_device_mappings    = local.root_volume.cpu
      labels                   = { "genai.platform/node-pool" = "cpu-spot" }
      taints                   = {}
    }
    gpu-spot = {
      iam_role_name            = "${var.name}-gpu-spot-node"
      iam_role_use_name_prefix = false
      ami_type                 = "AL2023_x86_64_NVIDIA"
      instance_types           = var.gpu_node_group.instance_types
      capacity_type            = "SPOT"
      min_size                 = var.gpu_node_group.min_size
      max_size                 = var.gpu_node_group.max_size
      desired_size             = var.gpu_node_group.desired_size
      block_device_mappings    = local.root_volume.gpu
      labels                   = merge({ "genai.platform/node-pool" = "gpu-spot" }, local.gpu_node_selector)
      taints                   = { gpu = local.gpu_taint }
    }
  }

  gpu_node_selector = { "nvidia.com/gpu.present" = "true" }
  gpu_taint         = { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" }
}

module "eks" {
  # checkov:skip=CKV_TF_1:Registry modules are pinned to a minor version (~>), the convention for this repository; registry versions are immutable.
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.19"

  name               = var.name
  kubernetes_version = var.kubernetes_version
  vpc_id             = var.vpc_id
  subnet_ids         = var.subnet_ids

  endpoint_private_access         = true
  endpoint_public_access          = var.endpoint_public_access
  endpoint_public_access_cidrs    = var.endpoint_public_access ? var.endpoint_public_access_cidrs : []
  security_group_additional_rules = local.private_api_rules

  authentication_mode = "API"
  # Admins are listed explicitly: a "creator" entry follows whoever runs apply, and would
  # collide with the CI apply role's own entry the first time CI applies.
  enable_cluster_creator_admin_permissions = false
  access_entries                           = local.access_entries

  # Pods get AWS access through Pod Identity only; no IAM OIDC provider is needed.
  enable_irsa = false

  iam_role_name            = "${var.name}-cluster"
  iam_role_use_name_prefix = false

  # Secrets are envelope-encrypted with a KMS key the module creates and rotates. The account
  # administers it through IAM, like every other key here: the module's default (whoever runs
  # apply) would change the key policy whenever another role plans or applies.
  encryption_config      = { resources = ["secrets"] }
  kms_key_administrators = [local.account_root]

  enabled_log_types                      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = var.log_retention_days
  deletion_protection                    = var.deletion_protection

  addons = {
    vpc-cni = {
      before_compute = true
    }
    eks-pod-identity-agent = {
      before_compute = true
    }
    kube-proxy = {}
    coredns    = {}
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = module.ebs_csi_pod_identity.iam_role_arn
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }

  eks_managed_node_groups = local.node_groups

  tags = var.tags
}

# The eks-pod-identity module names its policies AmazonEKS_* unless told otherwise; the CI apply
# role may manage only names under var.name.
module "ebs_csi_pod_identity" {
  # checkov:skip=CKV_TF_1:Registry modules are pinned to a minor version (~>), the convention for this repository; registry versions are immutable.
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.8"

  name                      = "${var.name}-ebs-csi"
  use_name_prefix           = false
  policy_name_prefix        = "${var.name}-"
  attach_aws_ebs_csi_policy = true

  tags = var.tags
}

module "load_balancer_controller_pod_identity" {
  # checkov:skip=CKV_TF_1:Registry modules are pinned to a minor version (~>), the convention for this repository; registry versions are immutable.
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.8"

  name                            = "${var.name}-lb-controller"
  use_name_prefix                 = false
  policy_name_prefix              = "${var.name}-"
  attach_aws_lb_controller_policy = true

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
    }
  }

  tags = var.tags
}
