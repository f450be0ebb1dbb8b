#!/usr/bin/env python3
"""Derives the simulator's request-constraint table from botocore's AWS service models.

The simulator checks every request it serves against the official service models (required members,
enums, lengths, ranges, patterns). This script reads botocore's service-2.json(.gz) files and writes
one compact table holding, for each operation the simulator implements, the input shape tree with
those constraints and nothing else (no documentation, no output shapes).

Usage:
    python3 tools/aws-models/derive-constraints.py [--botocore-data DIR] [--out FILE]

Without --botocore-data the script uses the botocore package the running Python imports. Standard
library only, apart from that optional import. The output is deterministic (sorted keys), so a test can
re-run the script and compare it with the committed table byte for byte.
"""
import argparse
import gzip
import json
import os
import sys

OUT_DEFAULT = os.path.join(os.path.dirname(__file__), '..', '..', 'simulator', 'src', 'main', 'resources',
                           'io', 'ecsbluegreen', 'sim', 'model', 'constraints.json')

# service directory in botocore -> (API version, simulator signing name, operations the simulator
# implements). Keep in step with the ACTIONS of each *Service class; ModelTableTest checks it.
SERVICES = {
    'ecs': ('2014-11-13', 'ecs', [
        'CreateCluster', 'DescribeClusters', 'ListClusters', 'DeleteCluster', 'RegisterTaskDefinition',
        'DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies',
        'DeregisterTaskDefinition', 'CreateService', 'DescribeServices', 'UpdateService', 'DeleteService',
        'ListServices', 'CreateTaskSet', 'DescribeTaskSets', 'UpdateTaskSet', 'UpdateServicePrimaryTaskSet',
        'DeleteTaskSet', 'TagResource', 'UntagResource', 'ListTagsForResource', 'ListTasks', 'DescribeTasks',
        'StopTask', 'RunTask']),
    'elbv2': ('2015-12-01', 'elasticloadbalancing', [
        'CreateLoadBalancer', 'DescribeLoadBalancers', 'DeleteLoadBalancer', 'DescribeLoadBalancerAttributes',
        'ModifyLoadBalancerAttributes', 'CreateTargetGroup', 'DescribeTargetGroups', 'ModifyTargetGroup',
        'DeleteTargetGroup', 'DescribeTargetGroupAttributes', 'ModifyTargetGroupAttributes', 'RegisterTargets',
        'DeregisterTargets', 'DescribeTargetHealth', 'CreateListener', 'DescribeListeners', 'ModifyListener',
        'DeleteListener', 'CreateRule', 'DescribeRules', 'ModifyRule', 'DeleteRule', 'SetRulePriorities',
        'AddTags', 'RemoveTags', 'DescribeTags', 'DescribeAccountLimits']),
    'cloudwatch': ('2010-08-01', 'monitoring', [
        'PutMetricAlarm', 'DescribeAlarms', 'SetAlarmState', 'DeleteAlarms', 'DescribeAlarmHistory',
        'PutMetricData', 'GetMetricData', 'GetMetricStatistics']),
    'lambda': ('2015-03-31', 'lambda', [
        'Invoke', 'GetFunction', 'GetFunctionConfiguration', 'ListFunctions', 'CreateFunction',
        'DeleteFunction']),
    'sns': ('2010-03-31', 'sns', ['CreateTopic', 'ListTopics', 'GetTopicAttributes', 'DeleteTopic', 'Publish']),
    'sts': ('2011-06-15', 'sts', ['GetCallerIdentity', 'AssumeRole']),
    'application-autoscaling': ('2016-02-06', 'application-autoscaling', [
        'RegisterScalableTarget', 'DescribeScalableTargets', 'DeregisterScalableTarget', 'PutScalingPolicy',
        'DescribeScalingPolicies', 'DeleteScalingPolicy']),
    'sqs': ('2012-11-05', 'sqs', [
        'CreateQueue', 'GetQueueUrl', 'GetQueueAttributes', 'SetQueueAttributes', 'SendMessage', 'SendMessageBatch',
        'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility']),
}

# Members newer than the model version the table is derived from that the simulator allows on purpose,
# as (service, input shape, member) -> (member shape, reason). A member is added only where the model
# lacks it, and the table lists what was added. The member shape must exist in the model.
ALLOWED_NEWER = {
    ('ecs', 'RunTaskRequest', 'clientToken'): (
        'String', 'RunTask idempotency token (2023), newer than botocore 1.29; the operator sends it for hook tasks'),
}

SHAPE_KEYS = ('type', 'enum', 'min', 'max', 'pattern')
MEMBER_KEYS = ('location', 'locationName')


def load_model(data_dir, service, version):
    base = os.path.join(data_dir, service, version, 'service-2.json')
    if os.path.exists(base):
        with open(base, encoding='utf-8') as f:
            return json.load(f)
    with gzip.open(base + '.gz', 'rt', encoding='utf-8') as f:
        return json.load(f)


def compact_shape(shape):
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if shape['type'] == 'structure':
        out['members'] = {}
        for name, ref in shape['members'].items():
            member = {'shape': ref['shape']}
            member.update({k: ref[k] for k in MEMBER_KEYS if k in ref})
            out['members'][name] = member
        if shape.get('required'):
            out['required'] = shape['required']
        if shape.get('union'):
            out['union'] = True
        if 'payload' in shape:
            out['payload'] = shape['payload']
    elif shape['type'] == 'list':
        out['member'] = shape['member']['shape']
    elif shape['type'] == 'map':
        out['key'] = shape['key']['shape']
        out['value'] = shape['value']['shape']
        # The Query protocol names map entries' parts by these (SNS: Name and Value).
        for part in ('key', 'value'):
            if 'locationName' in shape[part]:
                out[part + 'Name'] = shape[part]['locationName']
    return out


def derive_service(model, service, operations):
    shapes = model['shapes']
    added = []
    for (svc, shape_name, member), (member_shape, reason) in sorted(ALLOWED_NEWER.items()):
        if svc != service:
            continue
        if member_shape not in shapes:
            sys.exit('allowed newer member %s.%s.%s names unknown shape %s' % (svc, shape_name, member, member_shape))
        members = shapes[shape_name]['members']
        if member not in members:
            members[member] = {'shape': member_shape}
            added.append({'shape': shape_name, 'member': member, 'reason': reason})
    ops = {}
    reachable = {}
    todo = []
    for name in operations:
        op = model['operations'][name]
        entry = {}
        if 'input' in op:
            entry['input'] = op['input']['shape']
            todo.append(op['input']['shape'])
        if model['metadata']['protocol'] == 'rest-json':
            entry['method'] = op['http']['method']
            entry['requestUri'] = op['http']['requestUri']
        ops[name] = entry
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        compact = compact_shape(shapes[name])
        reachable[name] = compact
        todo.extend(m['shape'] for m in compact.get('members', {}).values())
        todo.extend(compact[k] for k in ('member', 'key', 'value') if k in compact)
    return ops, reachable, added


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--botocore-data', help='botocore/data directory (default: the importable botocore)')
    parser.add_argument('--out', default=OUT_DEFAULT, help='table to write ("-" for stdout)')
    args = parser.parse_args()
    data_dir = args.botocore_data
    if data_dir is None:
        import botocore  # only to locate its data directory and version
        data_dir = os.path.join(os.path.dirname(botocore.__file__), 'data')
    with open(os.path.join(data_dir, '..', '__init__.py'), encoding='utf-8') as f:
        version = next(line.split("'")[1] for line in f if line.startswith('__version__'))
    table = {'botocoreVersion': version, 'services': {}}
    for service, (api_version, signing_name, operations) in sorted(SERVICES.items()):
        model = load_model(data_dir, service, api_version)
        ops, shapes, added = derive_service(model, service, operations)
        table['services'][signing_name] = {
            'model': service,
            'apiVersion': model['metadata']['apiVersion'],
            'protocol': model['metadata']['protocol'],
            'allowedNewerMembers': added,
            'operations': ops,
            'shapes': shapes,
        }
    text = json.dumps(table, sort_keys=True, separators=(',', ':'), ensure_ascii=True) + '\n'
    if args.out == '-':
        sys.stdout.write(text)
    else:
        with open(args.out, 'w', encoding='utf-8') as f:
            f.write(text)


if __name__ == '__main__':
    main()
