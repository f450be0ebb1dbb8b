#!/usr/bin/env bash
# Runs the conformance suite on the AWS account and region of the usual AWS environment (AWS_PROFILE,
# AWS_REGION, ...): deploy/conformance/README.md. `run.sh cleanup` deletes the leftovers of earlier runs.
# The network is the region's default VPC (found here with the AWS CLI) unless CONFORMANCE_VPC,
# CONFORMANCE_SUBNETS (comma-separated, two zones or more) and CONFORMANCE_SECURITY_GROUPS are set.
set -euo pipefail
cd "$(dirname "$0")/../.."

aws sts get-caller-identity --query Arn --output text >/dev/null \
  || { echo "run.sh: no usable AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID...)" >&2; exit 2; }
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region || true)}}"
[ -n "$region" ] || { echo "run.sh: no region (set AWS_REGION)" >&2; exit 2; }
export AWS_REGION="$region"

vpc="${CONFORMANCE_VPC:-$(aws ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output text)}"
[ "$vpc" != "None" ] || { echo "run.sh: $region has no default VPC; set CONFORMANCE_VPC, _SUBNETS, _SECURITY_GROUPS" >&2; exit 2; }
subnets="${CONFORMANCE_SUBNETS:-$(aws ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" Name=default-for-az,Values=true \
  --query 'Subnets[].SubnetId' --output text | tr '\t' ',')}"
groups="${CONFORMANCE_SECURITY_GROUPS:-$(aws ec2 describe-security-groups --filters Name=vpc-id,Values="$vpc" Name=group-name,Values=default \
  --query 'SecurityGroups[0].GroupId' --output text)}"

args=(-B test -pl operator -am -Dsurefire.failIfNoSpecifiedTests=false -Pconformance-aws "-Dconformance.vpc=$vpc" "-Dconformance.subnets=$subnets" "-Dconformance.securityGroups=$groups")
[ -z "${CONFORMANCE_CERTIFICATE_ARN:-}" ] || args+=("-Dconformance.certificateArn=$CONFORMANCE_CERTIFICATE_ARN")
if [ "${1:-}" = cleanup ]; then
  args+=(-Dtest=LeftoversTest -Dconformance.cleanup=true)
else
  args+=("-Dtest=io.ecsbluegreen.conformance.*Test")
fi
echo "conformance: region $region, VPC $vpc, subnets $subnets, security group $groups"
exec ./mvnw "${args[@]}"
