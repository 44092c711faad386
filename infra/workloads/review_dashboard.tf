# The review-sentiment dashboard (apps/review_stream/dashboard.py, Streamlit): reads the streaming
# stack's OpenSearch Serverless collection through its VPC endpoint, so it needs no public
# endpoint; people reach it through an internal NLB or a port-forward like the other pages.
# Its role name is fixed, <project>-<env>-review-dashboard: the collection's data access policy,
# applied earlier by the streaming stack, names that role (read-only on the two indexes).

locals {
  streaming = "/${var.project}/${var.environment}/streaming"
}

data "aws_ssm_parameter" "streaming" {
  for_each = toset(["collection-endpoint", "collection-arn"])
  name     = "${local.streaming}/${each.key}"
}

data "aws_iam_policy_document" "review_dashboard" {
  # Data-plane calls are authorised by the data access policy; IAM lets the role reach the
  # collection at all.
  statement {
    sid       = "ReadReviewResults"
    actions   = ["aoss:APIAccessAll"]
    resources = [nonsensitive(data.aws_ssm_parameter.streaming["collection-arn"].value)]
  }
}

module "review_dashboard" {
  # checkov:skip=CKV_K8S_14:The tag is var.image_tag, a git commit SHA (validated); checkov cannot resolve it through the SSM repository URL.
  source = "../../modules/k8s-app"

  name                 = "review-dashboard"
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr["review-dashboard"].value}:${var.image_tag}"
  port                 = 8501
  replicas             = var.review_dashboard_replicas
  exposure             = var.review_dashboard_exposure
  allowed_cidrs        = var.review_dashboard_allowed_cidrs
  iam_policy_json      = data.aws_iam_policy_document.review_dashboard.json

  env = {
    AWS_REGION          = var.region
    REVIEW_STORE        = "opensearch"
    OPENSEARCH_ENDPOINT = nonsensitive(data.aws_ssm_parameter.streaming["collection-endpoint"].value)
  }

  tags = local.tags
}
