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
