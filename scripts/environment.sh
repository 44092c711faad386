# Sourced by the operator scripts (run from the repository root): an environment's Region and
# project, read the same way everywhere.
#   environment_region ENV           the Region of environments/ENV/backend.hcl
#   environment_project ENV STACK    project of environments/ENV/STACK.tfvars, else genai

environment_region() {
  sed -n 's/^region *= *"\(.*\)"/\1/p' "environments/$1/backend.hcl"
}

environment_project() {
  local project
  project=$(sed -n 's/^project *= *"\(.*\)"/\1/p' "environments/$1/$2.tfvars" 2>/dev/null)
  echo "${project:-genai}"
}
