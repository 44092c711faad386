# scripts/tf adds region (environment.yaml's), bucket (<project>-tfstate-<account>-<region>) and
# key (<env>/<stack>.tfstate).
encrypt      = true
use_lockfile = true
