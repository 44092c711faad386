# JupyterHub for experiments (zero-to-jupyterhub): CPU and GPU notebooks with persistent homes,
# each notebook's own S3 prefix through Pod Identity, behind Cognito (or, in dev only, a
# generated shared password). Reached by port-forward, or an internal NLB with TLS.

# Published by the cluster-addons stack: CPU notebooks run on Karpenter's CPU nodes, not on the
# system nodes that carry the hub, the proxy and the controllers.
data "aws_ssm_parameter" "cpu_node_selector" {
  name = "/${var.project}/${var.environment}/cluster-addons/cpu-node-selector"
}

locals {
  jupyterhub_namespace = "jupyterhub"
  notebook_zone        = local.platform_parameters["notebook-zone"]
  cognito              = var.jupyterhub_authenticator == "cognito"
  # Cognito domain prefixes are global per Region: the account id keeps this one unique.
  cognito_domain   = "${local.name}-notebooks-${data.aws_caller_identity.current.account_id}"
  cognito_base_url = "https://${local.cognito_domain}.auth.${local.region}.amazoncognito.com"
  notebook_prefix  = "notebooks/"
  # In development, the Secret of the hub's shared passwords (generated in the cluster: secrets.tf).
  jupyterhub_passwords_secret = "jupyterhub-shared-passwords"

  jupyterhub_values = templatefile("${path.module}/values/jupyterhub.yaml.tftpl", {
    authenticator_class = local.cognito ? "generic-oauth" : "shared-password"
    allowed_users       = var.jupyterhub_allowed_users
    admin_users         = var.jupyterhub_admin_users
    oauth = local.cognito ? {
      login_service = "Cognito (${local.name})"
      client_id     = one(aws_cognito_user_pool_client.jupyterhub[*].id)
      callback_url  = "${var.jupyterhub_url}/hub/oauth_callback"
      authorize_url = "${local.cognito_base_url}/oauth2/authorize"
      token_url     = "${local.cognito_base_url}/oauth2/token"
      userdata_url  = "${local.cognito_base_url}/oauth2/userInfo"
    } : null
    passwords_secret     = local.cognito ? null : local.generated_secret[local.jupyterhub_passwords_secret]
    system_node_selector = local.system_node_selector
    scraper_cidrs        = local.scraper_cidrs
    proxy_service = {
      type  = var.jupyterhub_exposure == "internal" ? "LoadBalancer" : "ClusterIP"
      https = var.jupyterhub_exposure == "internal"
      annotations = var.jupyterhub_exposure == "internal" ? {
        "service.beta.kubernetes.io/aws-load-balancer-type"            = "external"
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type" = "ip"
        "service.beta.kubernetes.io/aws-load-balancer-scheme"          = "internal"
        "service.beta.kubernetes.io/aws-load-balancer-ssl-cert"        = var.jupyterhub_certificate_arn
        "service.beta.kubernetes.io/aws-load-balancer-ssl-ports"       = "https"
      } : {}
    }
    service_account      = kubernetes_service_account_v1.notebooks.metadata[0].name
    notebook_zone        = local.notebook_zone
    storage_class        = kubernetes_storage_class_v1.notebooks.metadata[0].name
    home_size_gib        = var.notebook_home_size_gib
    region               = local.region
    bucket               = local.model_assets_bucket
    images               = var.notebook_images
    cpu_node_selector    = jsondecode(nonsensitive(data.aws_ssm_parameter.cpu_node_selector.value))
    gpu_node_selector    = local.gpu_node_selector
    gpu_toleration       = local.gpu_toleration
    idle_timeout_seconds = var.jupyterhub_idle_timeout_minutes * 60
  })
}

resource "kubernetes_namespace_v1" "jupyterhub" {
  metadata {
    name = local.jupyterhub_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

# Home volumes, in the notebook zone only. An EBS volume cannot leave its zone: with the default
# class, a home created on a CPU node in one zone strands the user's next GPU session, which
# lands where spot GPU capacity is ("volume node affinity conflict"). The platform publishes the
# zone and keeps GPU capacity there; notebooks are pinned to it (values/jupyterhub.yaml.tftpl).
resource "kubernetes_storage_class_v1" "notebooks" {
  metadata {
    name = "gp3-notebooks"
  }

  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
    fsType    = "ext4"
  }

  allowed_topologies {
    match_label_expressions {
      key    = "topology.kubernetes.io/zone"
      values = [local.notebook_zone]
    }
  }
}

# --- Sign-in ---------------------------------------------------------------------------------

# Cognito: users exist only when an administrator creates them. The hub's app client is public
# (no client secret): the hub proves each code exchange with PKCE (OAuthenticator 17.1 or later,
# as the pinned 4.x chart's hub image carries), so there is no secret to keep out of Terraform's state, the chart or a person's hands.
resource "aws_cognito_user_pool" "jupyterhub" {
  count = local.cognito ? 1 : 0

  name                     = "${local.name}-jupyterhub"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = local.jupyterhub_deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OPTIONAL"

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length                   = 14
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }
}

resource "aws_cognito_user_pool_domain" "jupyterhub" {
  count = local.cognito ? 1 : 0

  domain       = local.cognito_domain
  user_pool_id = aws_cognito_user_pool.jupyterhub[0].id

  lifecycle {
    precondition {
      condition     = length(local.cognito_domain) <= 63 && !can(regex("aws|amazon|cognito", local.cognito_domain))
      error_message = "The Cognito domain prefix ${local.cognito_domain} must be at most 63 characters and may not contain aws, amazon or cognito: choose another project name."
    }
  }
}

resource "aws_cognito_user_pool_client" "jupyterhub" {
  count = local.cognito ? 1 : 0

  name                                 = "${local.name}-jupyterhub"
  user_pool_id                         = aws_cognito_user_pool.jupyterhub[0].id
  generate_secret                      = false
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = ["${var.jupyterhub_url}/hub/oauth_callback"]
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
}

# --- The notebooks' AWS identity -------------------------------------------------------------

resource "kubernetes_service_account_v1" "notebooks" {
  metadata {
    name      = "notebooks"
    namespace = kubernetes_namespace_v1.jupyterhub.metadata[0].name
  }
  automount_service_account_token = false
}

# Every notebook pod shares the role; Pod Identity tags each session with the pod's name
# (jupyter-<user>), so a notebook reads and writes only notebooks/<its pod name>/ and reads the
# shared prefixes.
data "aws_iam_policy_document" "notebooks" {
  source_policy_documents = [data.aws_iam_policy_document.model_assets_key_through_s3.json]

  statement {
    sid       = "ListOwnPrefixAndSharedData"
    actions   = ["s3:ListBucket"]
    resources = [local.model_assets_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = concat(["${local.notebook_prefix}$${aws:PrincipalTag/kubernetes-pod-name}/*"], [for p in var.notebook_read_prefixes : "${p}*"])
    }
  }
  statement {
    sid       = "ReadSharedData"
    actions   = ["s3:GetObject"]
    resources = [for p in var.notebook_read_prefixes : "${local.model_assets_bucket_arn}/${p}*"]
  }
  statement {
    sid       = "ReadAndWriteOwnPrefix"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${local.model_assets_bucket_arn}/${local.notebook_prefix}$${aws:PrincipalTag/kubernetes-pod-name}/*"]
  }
}

module "notebooks_identity" {
  source = "../../modules/pod-identity-role"

  role_name            = "${local.name}-notebooks"
  cluster_name         = data.aws_eks_cluster.this.name
  namespace            = kubernetes_namespace_v1.jupyterhub.metadata[0].name
  service_account      = kubernetes_service_account_v1.notebooks.metadata[0].name
  policy_json          = data.aws_iam_policy_document.notebooks.json
  permissions_boundary = local.permissions_boundary
  tags                 = local.tags
}

moved {
  from = aws_iam_role.notebooks
  to   = module.notebooks_identity.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.notebooks
  to   = module.notebooks_identity.aws_iam_role_policy.this[0]
}

moved {
  from = aws_eks_pod_identity_association.notebooks
  to   = module.notebooks_identity.aws_eks_pod_identity_association.this
}

# --- The hub ---------------------------------------------------------------------------------

resource "helm_release" "jupyterhub" {
  name       = "jupyterhub"
  namespace  = kubernetes_namespace_v1.jupyterhub.metadata[0].name
  repository = "https://hub.jupyter.org/helm-chart/"
  chart      = "jupyterhub"
  version    = var.jupyterhub_chart_version
  wait       = true
  timeout    = 900

  values = [local.jupyterhub_values]

  # Notebooks must not start before their AWS identity exists.
  depends_on = [module.notebooks_identity]
}
