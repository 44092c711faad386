mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  name = "genai-dev-assistants"
}

run "defaults" {
  command = plan

  assert {
    condition     = length(aws_bedrock_guardrail.this.content_policy_config[0].filters_config) == 6 && one([for f in aws_bedrock_guardrail.this.content_policy_config[0].filters_config : f.output_strength if f.type == "PROMPT_ATTACK"]) == "NONE"
    error_message = "Every content filter is on; prompt attacks are filtered on input only."
  }
  assert {
    condition     = one([for t in aws_bedrock_guardrail.this.topic_policy_config[0].topics_config : t.type if t.name == "Investment advice"]) == "DENY"
    error_message = "Investment advice is a denied topic."
  }
  assert {
    condition     = aws_bedrock_guardrail_version.this.guardrail_arn == aws_bedrock_guardrail.this.guardrail_arn && aws_bedrock_guardrail_version.this.skip_destroy
    error_message = "A version is published and kept when superseded."
  }
  assert {
    condition     = output.guardrail_version == "1"
    error_message = "Apps get the published version, never DRAFT."
  }
}

run "topics_only" {
  command = plan
  variables {
    content_filters = {}
    pii_entities    = {}
  }

  assert {
    condition     = length(aws_bedrock_guardrail.this.content_policy_config) == 0 && length(aws_bedrock_guardrail.this.sensitive_information_policy_config) == 0
    error_message = "Empty policies are left out rather than sent empty (the API refuses an empty filter list)."
  }
}

run "rejects_a_name_with_spaces" {
  command = plan
  variables {
    name = "genai dev assistants"
  }
  expect_failures = [var.name]
}

run "rejects_a_description_over_200_characters" {
  command = plan
  variables {
    description = "Content, topic and PII policy of the platform's user-facing assistants: the chat app, the knowledge base assistant and the case-sheet agent, with every filter the platform team agreed with security, legal and the product owners."
  }
  expect_failures = [var.description]
}

run "rejects_an_empty_blocked_input_message" {
  command = plan
  variables {
    blocked_input_message = ""
  }
  expect_failures = [var.blocked_input_message]
}

run "rejects_a_blocked_output_message_over_500_characters" {
  command = plan
  variables {
    blocked_output_message = join(" ", [for i in range(120) : "sorry"])
  }
  expect_failures = [var.blocked_output_message]
}

run "rejects_an_unknown_filter_type" {
  command = plan
  variables {
    content_filters = { PROFANITY = { input = "HIGH", output = "HIGH" } }
  }
  expect_failures = [var.content_filters]
}

run "rejects_prompt_attack_filtering_on_output" {
  command = plan
  variables {
    content_filters = { PROMPT_ATTACK = { input = "HIGH", output = "HIGH" } }
  }
  expect_failures = [var.content_filters]
}

run "rejects_a_guardrail_without_any_policy" {
  command = plan
  variables {
    content_filters = {}
    denied_topics   = {}
    pii_entities    = {}
  }
  expect_failures = [var.content_filters]
}

run "rejects_a_topic_name_with_a_slash" {
  command = plan
  variables {
    denied_topics = { "Stocks/crypto" = { definition = "Investment recommendations." } }
  }
  expect_failures = [var.denied_topics]
}

run "rejects_a_definition_over_200_characters" {
  command = plan
  variables {
    denied_topics = { "Investment advice" = { definition = join(" ", [for i in range(50) : "money"]) } }
  }
  expect_failures = [var.denied_topics]
}

run "rejects_six_examples" {
  command = plan
  variables {
    denied_topics = { "Investment advice" = { definition = "Investment recommendations.", examples = ["a?", "b?", "c?", "d?", "e?", "f?"] } }
  }
  expect_failures = [var.denied_topics]
}

run "rejects_an_unknown_pii_action" {
  command = plan
  variables {
    pii_entities = { EMAIL = "MASK" }
  }
  expect_failures = [var.pii_entities]
}

run "rejects_an_unknown_pii_type" {
  command = plan
  variables {
    pii_entities = { SOCIAL_SECURITY_NUMBER = "BLOCK" }
  }
  expect_failures = [var.pii_entities]
}

run "rejects_a_key_that_is_not_a_kms_key_arn" {
  command = plan
  variables {
    kms_key_arn = "alias/genai-dev"
  }
  expect_failures = [var.kms_key_arn]
}
