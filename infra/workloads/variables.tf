variable "project" {
  description = "Project name; with the environment it prefixes every resource name (<project>-<environment>). The same in every stack."
  type        = string
  default     = "genai"

  # Bucket, role and collection names are built from it; 12 characters keep all of them within
  # their AWS limits.
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project)) && length(var.project) >= 2 && length(var.project) <= 12
    error_message = "project must be 2-12 lower-case letters and digits in dash-separated words, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  description = "AWS Region of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region code such as us-east-1."
  }
}

variable "image_tag" {
  description = "Image tag deployed for every app: the git commit SHA the images workflow pushed. scripts/tf sets it to the checked-out commit (TF_VAR_image_tag), so it is never kept in tfvars."
  type        = string
  default     = null

  validation {
    condition     = var.image_tag != null && can(regex("^[0-9a-f]{7,40}$", coalesce(var.image_tag, "-")))
    error_message = "image_tag must be a git commit SHA (scripts/tf passes the checked-out one); \"latest\" is refused."
  }
}

variable "chat_models" {
  description = "Models the chat app offers: label, the id it calls (inference profile), and the foundation model behind it (for IAM). Both the app's catalog and its role come from this list."
  type = list(object({
    label               = string
    model_id            = string
    foundation_model_id = string
  }))
  default = [
    {
      label               = "Claude Haiku 4.5"
      model_id            = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
      foundation_model_id = "anthropic.claude-haiku-4-5-20251001-v1:0"
    },
    {
      label               = "Claude Sonnet 4.6"
      model_id            = "us.anthropic.claude-sonnet-4-6"
      foundation_model_id = "anthropic.claude-sonnet-4-6"
    },
  ]

  validation {
    condition     = length(var.chat_models) > 0
    error_message = "chat_models needs at least one model."
  }
  validation {
    condition = alltrue([
      for m in var.chat_models :
      can(regex("^[a-z]{2,4}\\.[a-z0-9-]+\\.[a-zA-Z0-9.:-]+$", m.model_id)) && endswith(m.model_id, m.foundation_model_id) && length(m.label) >= 1 && length(m.label) <= 60
    ])
    error_message = "Each chat model needs a label (1-60 characters), an inference profile id (e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0) and the foundation model id it ends with."
  }
}

variable "chat_replicas" {
  description = "Pods of the chat app."
  type        = number
  default     = 2
}

variable "chat_exposure" {
  description = "How the chat app is reached: cluster (port-forward), internal (internal NLB) or internet (needs chat_allowed_cidrs)."
  type        = string
  default     = "internal"
}

variable "chat_allowed_cidrs" {
  description = "Source CIDRs allowed through the chat app's load balancer."
  type        = list(string)
  default     = []
}

variable "kb_replicas" {
  description = "Pods of the KB assistant."
  type        = number
  default     = 2
}

variable "kb_exposure" {
  description = "How the KB assistant is reached: cluster (port-forward), internal (internal NLB) or internet (needs kb_allowed_cidrs)."
  type        = string
  default     = "internal"
}

variable "kb_allowed_cidrs" {
  description = "Source CIDRs allowed through the KB assistant's load balancer."
  type        = list(string)
  default     = []
}

variable "kb_mode" {
  description = "retrieve: the app retrieves passages and converses with its own prompt (streamed); retrieve_and_generate: Bedrock's RetrieveAndGenerate with its citations and session (adds that permission)."
  type        = string
  default     = "retrieve"

  validation {
    condition     = contains(["retrieve", "retrieve_and_generate"], var.kb_mode)
    error_message = "kb_mode must be retrieve or retrieve_and_generate."
  }
}

variable "kb_number_of_results" {
  description = "Passages retrieved per question."
  type        = number
  default     = 4

  validation {
    condition     = var.kb_number_of_results >= 1 && var.kb_number_of_results <= 20
    error_message = "kb_number_of_results must be 1-20."
  }
}

variable "agent_replicas" {
  description = "Pods of the agent assistant."
  type        = number
  default     = 2
}

variable "agent_exposure" {
  description = "How the agent assistant is reached: cluster (port-forward), internal (internal NLB) or internet (needs agent_allowed_cidrs)."
  type        = string
  default     = "internal"
}

variable "agent_allowed_cidrs" {
  description = "Source CIDRs allowed through the agent assistant's load balancer."
  type        = list(string)
  default     = []
}

variable "agent_show_trace" {
  description = "Show the agent's steps (reasoning, action calls) under each answer by default."
  type        = bool
  default     = false
}
