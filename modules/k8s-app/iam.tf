# The app's own AWS identity through EKS Pod Identity: no keys, no IRSA annotations.

data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.iam_role_name_prefix}-${var.name}"
  description        = "Pod Identity role of ${var.namespace}/${var.name}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  count = var.iam_policy_json == null ? 0 : 1

  name   = var.name
  role   = aws_iam_role.this.name
  policy = var.iam_policy_json
}

resource "aws_eks_pod_identity_association" "this" {
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = kubernetes_service_account_v1.this.metadata[0].name
  role_arn        = aws_iam_role.this.arn
  tags            = var.tags
}
