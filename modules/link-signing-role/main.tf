# The role a Lambda signs its download links with (apps/genai_common/presign.py assumes it for a
# session whose length the function chooses): the function's own session ends at a time its
# environment does not state, and a link dies with the credentials that signed it.

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.function_role_arn]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = var.description
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary
  # Sessions are chained from the function's role: STS caps them at an hour whatever this says.
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadTheLinkedObjects"
    actions   = ["s3:GetObject"]
    resources = [var.objects_arn]
  }
  statement {
    sid       = "DecryptThemThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}
