resource "aws_bedrock_guardrail" "this" {
  name                      = var.name
  description               = var.description
  blocked_input_messaging   = var.blocked_input_message
  blocked_outputs_messaging = var.blocked_output_message
  kms_key_arn               = var.kms_key_arn
  tags                      = var.tags

  dynamic "content_policy_config" {
    for_each = length(var.content_filters) > 0 ? [var.content_filters] : []
    content {
      dynamic "filters_config" {
        for_each = content_policy_config.value
        content {
          type            = filters_config.key
          input_strength  = filters_config.value.input
          output_strength = filters_config.value.output
        }
      }
    }
  }

  dynamic "topic_policy_config" {
    for_each = length(var.denied_topics) > 0 ? [var.denied_topics] : []
    content {
      dynamic "topics_config" {
        for_each = topic_policy_config.value
        content {
          name       = topics_config.key
          type       = "DENY"
          definition = topics_config.value.definition
          examples   = topics_config.value.examples
        }
      }
    }
  }

  dynamic "sensitive_information_policy_config" {
    for_each = length(var.pii_entities) > 0 ? [var.pii_entities] : []
    content {
      dynamic "pii_entities_config" {
        for_each = sensitive_information_policy_config.value
        content {
          type   = pii_entities_config.key
          action = pii_entities_config.value
        }
      }
    }
  }
}

# Apps pin a published version, never DRAFT, so an edit reaches them only through a new version.
# Earlier versions are kept: pods still running the previous configuration keep working.
resource "aws_bedrock_guardrail_version" "this" {
  guardrail_arn = aws_bedrock_guardrail.this.guardrail_arn
  description   = "Published by terraform"
  skip_destroy  = true

  lifecycle {
    replace_triggered_by = [aws_bedrock_guardrail.this]
  }
}
