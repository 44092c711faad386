# Decides requests against identity policies the way IAM does for one account: an explicit Deny
# wins, else any Allow, else denied. It reads Action/NotAction, Resource/NotResource (a statement
# with neither, a trust policy's, matches any resource) and the condition operators the platform's
# policies use: String, Arn and Bool equality and Like matching, their Not forms, IfExists and
# ForAllValues/ForAnyValue. Principals are not evaluated: a test of a trust policy supplies the
# token's claims as the request context.

terraform {
  required_version = ">= 1.10"
}

variable "policies" {
  description = "Policy documents (JSON) whose statements together make up the principal's permissions."
  type        = list(string)
}

variable "requests" {
  description = "Requests to decide, by name: the action, the resource ARN and the request context (condition key => values)."
  type = map(object({
    action   = string
    resource = optional(string, "*")
    context  = optional(map(list(string)), {})
  }))
}

locals {
  # IAM wildcards (* and ?) to anchored regular expressions; every other character is literal.
  statements = [for s in flatten([for p in var.policies : jsondecode(p).Statement]) : {
    deny         = s.Effect == "Deny"
    not_action   = can(s.NotAction)
    not_resource = can(s.NotResource)
    actions = [
      for a in flatten([try(s.Action, s.NotAction)]) :
      "(?i)^${replace(replace(replace(a, "/([.+()\\[\\]{}|^$\\\\])/", "\\$1"), "*", ".*"), "?", ".")}$"
    ]
    resources = [
      for r in flatten([try(s.Resource, s.NotResource, "*")]) :
      "^${replace(replace(replace(r, "/([.+()\\[\\]{}|^$\\\\])/", "\\$1"), "*", ".*"), "?", ".")}$"
    ]
    conditions = flatten([for operator, keys in try(s.Condition, {}) : [for key, values in keys : {
      key       = key
      negated   = can(regex("Not(Equals|Like)", operator))
      if_exists = endswith(operator, "IfExists")
      for_all   = startswith(operator, "ForAllValues:")
      patterns = [
        for v in flatten([values]) : can(regex("Like", operator))
        ? "^${replace(replace(replace(v, "/([.+()\\[\\]{}|^$\\\\])/", "\\$1"), "*", ".*"), "?", ".")}$"
        : "${startswith(operator, "Bool") ? "(?i)" : ""}^${replace(v, "/([.+*?()\\[\\]{}|^$\\\\])/", "\\$1")}$"
      ]
    }]])
  }]

  matches = { for name, r in var.requests : name => [for s in local.statements :
    anytrue([for p in s.actions : can(regex(p, r.action))]) != s.not_action &&
    anytrue([for p in s.resources : can(regex(p, r.resource))]) != s.not_resource &&
    alltrue([for c in s.conditions : (
      !contains(keys(r.context), c.key) ? (c.negated || c.if_exists || c.for_all) :
      c.for_all ? alltrue([for v in r.context[c.key] : anytrue([for p in c.patterns : can(regex(p, v))])]) :
      anytrue([for v in r.context[c.key] : anytrue([for p in c.patterns : can(regex(p, v))])]) != c.negated
    )])
  ] }
}

output "allowed" {
  description = "Whether each request is allowed: some statement allows it and none denies it."
  value = {
    for name, matched in local.matches : name => (
      anytrue([for i, s in local.statements : matched[i] && !s.deny]) && !anytrue([for i, s in local.statements : matched[i] && s.deny])
    )
  }
}

output "denied_explicitly" {
  description = "Whether a Deny statement matches each request (no other policy can then allow it)."
  value       = { for name, matched in local.matches : name => anytrue([for i, s in local.statements : matched[i] && s.deny]) }
}
