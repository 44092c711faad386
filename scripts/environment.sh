# Sourced by the operator scripts (run from the repository root): an environment's facts, read
# the same way everywhere. An environment is a folder environments/<env> whose environment.yaml
# states, one `key: value` a line, its tier, Region and promotion order (README, "Environments
# and tiers").
#   environment_known ENV            exit 0 if ENV is such a folder (a name, not a path)
#   environment_value ENV KEY        a top-level value of environments/ENV/environment.yaml
#   environment_region ENV           its Region
#   environment_project ENV STACK    project of environments/ENV/STACK.tfvars, else genai
#   environments                     every environment, one a line, in promotion order

environment_known() {
  [[ $1 =~ ^[a-z][a-z0-9]{1,6}$ && -f environments/$1/environment.yaml ]]
}

environment_value() {
  sed -n "s/^$2: *\([^ #]*\).*/\1/p" "environments/$1/environment.yaml"
}

environment_region() {
  environment_value "$1" region
}

environment_project() {
  local project
  project=$(sed -n 's/^project *= *"\(.*\)"/\1/p' "environments/$1/$2.tfvars" 2>/dev/null)
  echo "${project:-genai}"
}

environments() {
  local file env order ordered=()
  for file in environments/*/environment.yaml; do
    env=${file#environments/}
    env=${env%/environment.yaml}
    order=$(environment_value "$env" promotion_order)
    environment_known "$env" && [[ $order =~ ^[1-9][0-9]*$ ]] ||
      { echo "$file: the folder's name must be 2-7 lower-case letters and digits, and promotion_order a whole number from 1" >&2; return 1; }
    ordered+=("$order $env")
  done
  printf '%s\n' "${ordered[@]}" | sort -n | cut -d' ' -f2
}
