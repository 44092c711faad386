data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

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

  # What sets the node groups apart; the rest (below) is the same for all of them.
  node_group_kinds = {
    system   = { sizes = var.system_node_group, ami_type = "AL2023_x86_64_STANDARD", capacity_type = var.system_node_group.capacity_type, labels = {}, taints = {} }
    cpu-spot = { sizes = var.cpu_node_group, ami_type = "AL2023_x86_64_STANDARD", capacity_type = "SPOT", labels = {}, taints = {} }
    gpu-spot = { sizes = var.gpu_node_group, ami_type = "AL2023_x86_64_NVIDIA", capacity_type = "SPOT", labels = local.gpu_node_selector, taints = { gpu = local.gpu_taint } }
  }
  # GPU nodes start in the first subnet's zone only: notebook home volumes (EBS, one zone each)
  # live there, and a GPU notebook elsewhere would never mount its volume. The cost is spot
  # capacity from one zone instead of all.
  node_group_subnets = { gpu-spot = [var.subnet_ids[0]] }

  # IAM names are fixed, not prefixes, and under var.name: the CI apply role may manage only IAM
  # names that start with it (modules/github-oidc). Nodes keep their AMI release until
  # ami_release_version changes it: the module's default follows every release AWS publishes,
  # so an unrelated plan would roll every node, GPU nodes included.
  node_groups = { for name, kind in local.node_group_kinds : name => {
    iam_role_name                  = "${var.name}-${name}-node"
    iam_role_use_name_prefix       = false
    iam_role_permissions_boundary  = var.permissions_boundary
    use_latest_ami_release_version = false
    ami_release_version            = var.ami_release_version
    ami_type                       = kind.ami_type
    subnet_ids                     = lookup(local.node_group_subnets, name, var.subnet_ids)
    instance_types                 = kind.sizes.instance_types
    capacity_type                  = kind.capacity_type
    min_size                       = kind.sizes.min_size
    max_size                       = kind.sizes.max_size
    desired_size                   = kind.sizes.desired_size
    labels                         = merge({ "genai.platform/node-pool" = name }, kind.labels)
    taints                         = kind.taints
    block_device_mappings = {
      xvda = {
        device_name = "/dev/xvda"
        ebs = {
          volume_size           = kind.sizes.disk_size_gib
          volume_type           = "gp3"
          encrypted             = true
          delete_on_termination = true
        }
      }
    }
  } }

  # Pinned (most_recent = false): a new build is a reviewed change of addon_versions.
  addons = {
    vpc-cni = {
      addon_version  = var.addon_versions["vpc-cni"]
      most_recent    = false
      before_compute = true
      # The CNI's network policy agent enforces NetworkPolicies; without it they are ignored.
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    eks-pod-identity-agent = {
      addon_version  = var.addon_versions["eks-pod-identity-agent"]
      most_recent    = false
      before_compute = true
    }
    kube-proxy = {
      addon_version = var.addon_versions["kube-proxy"]
      most_recent   = false
    }
    coredns = {
      addon_version = var.addon_versions["coredns"]
      most_recent   = false
    }
    aws-ebs-csi-driver = {
      addon_version = var.addon_versions["aws-ebs-csi-driver"]
      most_recent   = false
      pod_identity_association = [{
        role_arn        = module.ebs_csi_pod_identity.iam_role_arn
        service_account = "ebs-csi-controller-sa"
      }]
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

  iam_role_name                 = "${var.name}-cluster"
  iam_role_use_name_prefix      = false
  iam_role_permissions_boundary = var.permissions_boundary

  # When a version's standard support ends, EKS upgrades the cluster instead of moving it to
  # extended support (about six times the control plane's price).
  upgrade_policy = { support_type = "STANDARD" }

  # Secrets are envelope-encrypted with a KMS key the module creates and rotates. The account
  # administers it through IAM, like every other key here: the module's default (whoever runs
  # apply) would change the key policy whenever another role plans or applies.
  encryption_config      = { resources = ["secrets"] }
  kms_key_administrators = [local.account_root]

  enabled_log_types                      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = var.log_retention_days
  deletion_protection                    = var.deletion_protection

  addons = local.addons

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
  permissions_boundary_arn  = var.permissions_boundary

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
  permissions_boundary_arn        = var.permissions_boundary

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
    }
  }

  tags = var.tags
}
