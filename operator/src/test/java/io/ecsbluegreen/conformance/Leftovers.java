package io.ecsbluegreen.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Deletes everything whose name starts with a prefix, in the reverse order of making it: task sets and
 * services, listeners and load balancers, target groups, task definitions (deregistered), clusters. It
 * finds resources by name, not by memory, so it also cleans up after a run that was killed; it goes on past
 * a failure and reports them all at the end.
 */
final class Leftovers {
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final Duration STEP = Duration.ofSeconds(5);

    private Leftovers() {}

    /** @throws IllegalStateException listing what could not be deleted, after trying everything */
    static void delete(Account account, String prefix) {
        List<String> failures = new ArrayList<>();
        var ecs = account.ecs();
        var elb = account.elb();
        List<Cluster> clusters = clusters(account, prefix);
        for (Cluster cluster : clusters) {
            for (Service service : services(account, cluster.clusterName())) {
                attempt(failures, "service " + service.serviceName(), () -> {
                    for (var taskSet : service.taskSets()) {
                        if (!"DRAINING".equals(taskSet.status())) {
                            ecs.deleteTaskSet(r -> r.cluster(cluster.clusterName()).service(service.serviceName())
                                    .taskSet(taskSet.taskSetArn()).force(true));
                        }
                    }
                    ecs.deleteService(r -> r.cluster(cluster.clusterName()).service(service.serviceName()).force(true));
                });
            }
        }
        for (LoadBalancer lb : loadBalancers(account, prefix)) {
            attempt(failures, "load balancer " + lb.loadBalancerName(), () -> {
                elb.describeListenersPaginator(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners()
                        .forEach(l -> elb.deleteListener(r -> r.listenerArn(l.listenerArn())));
                elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
            });
        }
        // A target group is in use while a load balancer or a task set's targets still hold it.
        for (TargetGroup group : targetGroups(account, prefix)) {
            attempt(failures, "target group " + group.targetGroupName(), () -> account.waitFor(
                    "target group " + group.targetGroupName() + " deleted", PATIENCE, STEP, () -> {
                        try {
                            elb.deleteTargetGroup(r -> r.targetGroupArn(group.targetGroupArn()));
                            return true;
                        } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException e) {
                            return false;
                        }
                    }));
        }
        for (String family : ecs.listTaskDefinitionFamiliesPaginator(r -> r.familyPrefix(prefix)).families()) {
            // Listed in full before the first deregistration: paging an ACTIVE list while shrinking it skips pages.
            attempt(failures, "task definitions " + family, () -> ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix(family)
                    .status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns().stream().toList()
                    .forEach(arn -> ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn))));
        }
        for (Cluster cluster : clusters) {
            attempt(failures, "cluster " + cluster.clusterName(), () -> {
                account.waitFor("services of " + cluster.clusterName() + " gone", PATIENCE, STEP,
                        () -> services(account, cluster.clusterName()).isEmpty());
                ecs.deleteCluster(r -> r.cluster(cluster.clusterArn()));
            });
        }
        remaining(account, prefix).forEach(left -> failures.add(left + " is still there"));
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not delete everything named " + prefix + "*: " + String.join("; ", failures));
        }
    }

    /** What is still there with the prefix (task definitions only while ACTIVE): empty after {@link #delete}. */
    static List<String> remaining(Account account, String prefix) {
        List<String> left = new ArrayList<>();
        clusters(account, prefix).forEach(c -> left.add("cluster " + c.clusterName()));
        loadBalancers(account, prefix).forEach(lb -> left.add("load balancer " + lb.loadBalancerName()));
        targetGroups(account, prefix).forEach(g -> left.add("target group " + g.targetGroupName()));
        account.ecs().listTaskDefinitionsPaginator(r -> r.familyPrefix(prefix).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns().forEach(arn -> left.add("task definition " + arn));
        return left;
    }

    private static void attempt(List<String> failures, String what, Runnable deletion) {
        try {
            deletion.run();
        } catch (SdkException | AssertionError | IllegalStateException e) {
            failures.add(what + ": " + e.getMessage());
        }
    }

    /** Active clusters named with the prefix (ListClusters lists ARNs; the name is the ARN's last part). */
    private static List<Cluster> clusters(Account account, String prefix) {
        List<String> arns = account.ecs().listClustersPaginator(r -> { }).clusterArns().stream()
                .filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(prefix)).toList();
        List<Cluster> found = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> page = arns.subList(i, Math.min(arns.size(), i + 100));
            found.addAll(account.ecs().describeClusters(r -> r.clusters(page)).clusters());
        }
        return found.stream().filter(c -> "ACTIVE".equals(c.status())).toList();
    }

    /** The cluster's services not yet INACTIVE, with their task sets; DescribeServices takes 10 at a time. */
    private static List<Service> services(Account account, String cluster) {
        List<String> arns = account.ecs().listServicesPaginator(r -> r.cluster(cluster)).serviceArns().stream().toList();
        List<Service> found = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 10) {
            List<String> page = arns.subList(i, Math.min(arns.size(), i + 10));
            found.addAll(account.ecs().describeServices(r -> r.cluster(cluster).services(page)).services());
        }
        return found.stream().filter(s -> !"INACTIVE".equals(s.status())).toList();
    }

    private static List<LoadBalancer> loadBalancers(Account account, String prefix) {
        return account.elb().describeLoadBalancersPaginator(r -> { }).loadBalancers().stream()
                .filter(lb -> lb.loadBalancerName().startsWith(prefix)).toList();
    }

    private static List<TargetGroup> targetGroups(Account account, String prefix) {
        return account.elb().describeTargetGroupsPaginator(r -> { }).targetGroups().stream()
                .filter(g -> g.targetGroupName().startsWith(prefix)).toList();
    }
}
