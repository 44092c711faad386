variable "name" {
  description = "Name of the guardrail."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-zA-Z_-]{1,50}$", var.name))
    error_message = "name must be 1-50 letters, digits, dashes or underscores."
  }
}

variable "description" {
  description = "Description of the guardrail (1-200 characters)."
  type        = string
  default     = "Content, topic and PII policy of the platform's user-facing assistants"

  validation {
    condition     = length(var.description) >= 1 && length(var.description) <= 200
    error_message = "description must be 1-200 characters."
  }
}

variable "blocked_input_message" {
  description = "What the user sees when the guardrail blocks a prompt (1-500 characters)."
  type        = string
  default     = "Sorry, I can't help with that request. Please rephrase it or ask about something else."

  validation {
    condition     = length(var.blocked_input_message) >= 1 && length(var.blocked_input_message) <= 500
    error_message = "blocked_input_message must be 1-500 characters."
  }
}

variable "blocked_output_message" {
  description = "What the user sees when the guardrail blocks an answer (1-500 characters)."
  type        = string
  default     = "Sorry, I can't share that answer. Please ask in a different way."

  validation {
    condition     = length(var.blocked_output_message) >= 1 && length(var.blocked_output_message) <= 500
    error_message = "blocked_output_message must be 1-500 characters."
  }
}

variable "content_filters" {
  description = "Content filters by type (SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT, PROMPT_ATTACK) with input and output strength (NONE, LOW, MEDIUM, HIGH). PROMPT_ATTACK applies to input only: its output must be NONE."
  type = map(object({
    input  = string
    output = string
  }))
  nullable = false
  default = {
    SEXUAL        = { input = "HIGH", output = "HIGH" }
    VIOLENCE      = { input = "HIGH", output = "HIGH" }
    HATE          = { input = "HIGH", output = "HIGH" }
    INSULTS       = { input = "MEDIUM", output = "MEDIUM" }
    MISCONDUCT    = { input = "MEDIUM", output = "MEDIUM" }
    PROMPT_ATTACK = { input = "HIGH", output = "NONE" }
  }

  validation {
    condition = alltrue([
      for type, f in var.content_filters :
      contains(["SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK"], type) &&
      contains(["NONE", "LOW", "MEDIUM", "HIGH"], f.input) && contains(["NONE", "LOW", "MEDIUM", "HIGH"], f.output)
    ])
    error_message = "content_filters keys must be Bedrock filter types and strengths NONE, LOW, MEDIUM or HIGH."
  }
  validation {
    condition     = try(var.content_filters["PROMPT_ATTACK"].output, "NONE") == "NONE"
    error_message = "The PROMPT_ATTACK filter applies to input only: set its output strength to NONE."
  }
  validation {
    condition     = length(var.content_filters) + length(var.denied_topics) + length(var.pii_entities) > 0
    error_message = "A guardrail needs at least one policy: content filters, denied topics or PII entities."
  }
}

variable "denied_topics" {
  description = "Topics the assistants refuse (at most 30), by name (1-100 letters, digits, spaces and - _ ! ? .): a definition (1-200 characters) and up to 5 example prompts (1-100 characters each)."
  type = map(object({
    definition = string
    examples   = optional(list(string), [])
  }))
  nullable = false
  default = {
    "Investment advice" = {
      definition = "Recommendations about buying, selling or holding securities, funds, cryptocurrencies or other investments."
      examples   = ["Which stocks should I buy this year?", "Is now a good time to invest in crypto?"]
    }
  }

  validation {
    condition     = length(var.denied_topics) <= 30 && alltrue([for name, t in var.denied_topics : can(regex("^[0-9a-zA-Z_ !?.-]{1,100}$", name))])
    error_message = "At most 30 topics, named with 1-100 letters, digits, spaces or - _ ! ? ."
  }
  validation {
    condition = alltrue([
      for t in values(var.denied_topics) :
      length(t.definition) >= 1 && length(t.definition) <= 200 && length(t.examples) <= 5 && alltrue([for e in t.examples : length(e) >= 1 && length(e) <= 100])
    ])
    error_message = "Each topic needs a definition of 1-200 characters and at most 5 examples of 1-100 characters."
  }
}

variable "pii_entities" {
  description = "Sensitive-information handling by PII entity type (e.g. EMAIL, CREDIT_DEBIT_CARD_NUMBER, AWS_SECRET_KEY): BLOCK or ANONYMIZE."
  type        = map(string)
  nullable    = false
  default = {
    AWS_ACCESS_KEY           = "BLOCK"
    AWS_SECRET_KEY           = "BLOCK"
    CREDIT_DEBIT_CARD_NUMBER = "BLOCK"
    PASSWORD                 = "BLOCK"
    EMAIL                    = "ANONYMIZE"
    PHONE                    = "ANONYMIZE"
  }

  validation {
    condition     = alltrue([for action in values(var.pii_entities) : contains(["BLOCK", "ANONYMIZE"], action)])
    error_message = "pii_entities actions must be BLOCK or ANONYMIZE."
  }
  validation {
    condition = alltrue([for type in keys(var.pii_entities) : contains([
      "ADDRESS", "AGE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "CA_HEALTH_NUMBER", "CA_SOCIAL_INSURANCE_NUMBER",
      "CREDIT_DEBIT_CARD_CVV", "CREDIT_DEBIT_CARD_EXPIRY", "CREDIT_DEBIT_CARD_NUMBER", "DRIVER_ID", "EMAIL",
      "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "IP_ADDRESS", "LICENSE_PLATE", "MAC_ADDRESS", "NAME", "PASSWORD", "PHONE",
      "PIN", "SWIFT_CODE", "UK_NATIONAL_HEALTH_SERVICE_NUMBER", "UK_NATIONAL_INSURANCE_NUMBER",
      "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER", "URL", "USERNAME", "US_BANK_ACCOUNT_NUMBER", "US_BANK_ROUTING_NUMBER",
      "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "US_PASSPORT_NUMBER", "US_SOCIAL_SECURITY_NUMBER",
      "VEHICLE_IDENTIFICATION_NUMBER",
    ], type)])
    error_message = "pii_entities keys must be Bedrock guardrail PII entity types (e.g. EMAIL, PHONE, CREDIT_DEBIT_CARD_NUMBER)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the guardrail; null uses an AWS-owned key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "tags" {
  description = "Tags added to the guardrail."
  type        = map(string)
  default     = {}
}
