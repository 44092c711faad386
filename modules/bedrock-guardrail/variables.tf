variable "name" {
  description = "Name of the guardrail."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-zA-Z_-]{1,50}$", var.name))
    error_message = "name must be 1-50 letters, digits, dashes or underscores."
  }
}

variable "description" {
  description = "Description of the guardrail."
  type        = string
  default     = "Content, topic and PII policy of the platform's user-facing assistants"
}

variable "blocked_input_message" {
  description = "What the user sees when the guardrail blocks a prompt."
  type        = string
  default     = "Sorry, I can't help with that request. Please rephrase it or ask about something else."
}

variable "blocked_output_message" {
  description = "What the user sees when the guardrail blocks an answer."
  type        = string
  default     = "Sorry, I can't share that answer. Please ask in a different way."
}

variable "content_filters" {
  description = "Content filters by type (SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT, PROMPT_ATTACK) with input and output strength (NONE, LOW, MEDIUM, HIGH). PROMPT_ATTACK applies to input only: its output must be NONE."
  type = map(object({
    input  = string
    output = string
  }))
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
}

variable "denied_topics" {
  description = "Topics the assistants refuse, by name (at most 100 characters): a definition (at most 200) and example prompts."
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
    condition     = alltrue([for name, t in var.denied_topics : length(name) <= 100 && length(t.definition) <= 200])
    error_message = "Topic names take at most 100 characters and definitions at most 200."
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
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the guardrail; null uses an AWS-owned key."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to the guardrail."
  type        = map(string)
  default     = {}
}
