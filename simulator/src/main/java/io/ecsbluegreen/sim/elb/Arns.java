package io.ecsbluegreen.sim.elb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ELBv2 ARNs and ids:
 * <ul>
 *   <li>{@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID}
 *   <li>{@code ...:targetgroup/NAME/ID}
 *   <li>{@code ...:listener/app/LBNAME/LBID/ID}
 *   <li>{@code ...:listener-rule/app/LBNAME/LBID/LISTENERID/ID}
 * </ul>
 * where every id is 16 lower-case hex digits.
 */
final class Arns {

    private static final String PREFIX = "arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):";
    private static final String NAME = "([A-Za-z0-9-]{1,32})";
    private static final String ID = "([0-9a-f]{16})";
    static final Pattern LOAD_BALANCER = Pattern.compile(PREFIX + "loadbalancer/app/" + NAME + "/" + ID);
    static final Pattern TARGET_GROUP = Pattern.compile(PREFIX + "targetgroup/" + NAME + "/" + ID);
    static final Pattern LISTENER = Pattern.compile(PREFIX + "listener/app/" + NAME + "/" + ID + "/" + ID);
    static final Pattern RULE = Pattern.compile(PREFIX + "listener-rule/app/" + NAME + "/" + ID + "/" + ID + "/" + ID);
    static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{16}");

    private Arns() {}

    static String loadBalancer(String region, String account, String name, String id) {
        return base(region, account) + "loadbalancer/app/" + name + "/" + id;
    }

    static String targetGroup(String region, String account, String name, String id) {
        return base(region, account) + "targetgroup/" + name + "/" + id;
    }

    /** {@code listener/app/LBNAME/LBID/ID} under the load balancer's ARN. */
    static String listener(String loadBalancerArn, String id) {
        return loadBalancerArn.replace(":loadbalancer/app/", ":listener/app/") + "/" + id;
    }

    /** {@code listener-rule/app/LBNAME/LBID/LISTENERID/ID} under the listener's ARN. */
    static String rule(String listenerArn, String id) {
        return listenerArn.replace(":listener/app/", ":listener-rule/app/") + "/" + id;
    }

    /** The CloudWatch {@code TargetGroup} dimension: the ARN's resource part, {@code targetgroup/NAME/ID}. */
    static String targetGroupDimension(String targetGroupArn) {
        return targetGroupArn.substring(targetGroupArn.indexOf(":targetgroup/") + 1);
    }

    /** The CloudWatch {@code LoadBalancer} dimension: {@code app/NAME/ID}. */
    static String loadBalancerDimension(String loadBalancerArn) {
        return loadBalancerArn.substring(loadBalancerArn.indexOf(":loadbalancer/") + ":loadbalancer/".length());
    }

    /** The last path segment, the resource's 16-hex-digit id. */
    static String idOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The region field of an ARN. */
    static String regionOf(String arn) {
        return arn.split(":", 6)[3];
    }

    static boolean isLoadBalancer(String arn) {
        return arn != null && LOAD_BALANCER.matcher(arn).matches();
    }

    static boolean isTargetGroup(String arn) {
        return arn != null && TARGET_GROUP.matcher(arn).matches();
    }

    static boolean isListener(String arn) {
        return arn != null && LISTENER.matcher(arn).matches();
    }

    static boolean isRule(String arn) {
        return arn != null && RULE.matcher(arn).matches();
    }

    /** The load balancer ARN a listener or rule ARN belongs to. */
    static String loadBalancerOf(String listenerOrRuleArn) {
        Matcher m = LISTENER.matcher(listenerOrRuleArn);
        if (!m.matches()) {
            m = RULE.matcher(listenerOrRuleArn);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a listener or rule ARN: " + listenerOrRuleArn);
            }
        }
        return "arn:" + m.group(1) + ":elasticloadbalancing:" + m.group(2) + ":" + m.group(3) + ":loadbalancer/app/"
                + m.group(4) + "/" + m.group(5);
    }

    static String randomId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** A stable id derived from {@code seed}: the default rule of a listener always gets the same ARN. */
    static String derivedId(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireId(String id) {
        if (id == null || !HEX_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an ELBv2 resource id is 16 lower-case hex digits: " + id);
        }
    }

    private static String base(String region, String account) {
        return "arn:aws:elasticloadbalancing:" + region + ":" + account + ":";
    }
}
