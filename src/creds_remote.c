/* creds_remote.c - credentials served over HTTP: ECS/EKS containers and EC2 IMDSv2.
 * Not built yet: NULL resolve functions are skipped by the manager. */
#include "config.h"
#include "creds_provider.h"

const struct creds_provider creds_provider_container = {"container-role", NULL};
const struct creds_provider creds_provider_imds = {"iam-role", NULL};
