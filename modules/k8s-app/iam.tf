# The app's own AWS identity through EKS Pod Identity: no keys, no IRSA annotations.
module "pod_identity" {
  source = "../pod-identity-role"

  permissions_boundary = var.permissions_boundary

  role_name       = "${var.iam_role_name_prefix}-${var.name}"
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = kubernetes_service_account_v1.this.metadata[0].name
  policy_json     = var.iam_policy_json
  tags            = var.tags
}

# Where these lived before the role became its own module: state moves, nothing is replaced.
moved {
  from = aws_iam_role.this
  to   = module.pod_identity.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.this
  to   = module.pod_identity.aws_iam_role_policy.this
}

moved {
  from = aws_eks_pod_identity_association.this
  to   = module.pod_identity.aws_eks_pod_identity_association.this
}
