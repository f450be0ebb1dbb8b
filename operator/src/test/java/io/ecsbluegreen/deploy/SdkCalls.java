package io.ecsbluegreen.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;

/**
 * Every AWS operation compiled code can call, found in its bytecode: each invocation (or method
 * reference) of a method of an AWS SDK v2 service client ({@code software.amazon.awssdk.services.*.*Client})
 * or waiter ({@code ...waiters.*Waiter}) is resolved to the operation it sends, by the request type the
 * method takes ({@code describeServices(Consumer<DescribeServicesRequest.Builder>)} sends DescribeServices,
 * {@code listObjectsV2Paginator(ListObjectsV2Request)} sends ListObjectsV2), then to the IAM action that
 * authorizes it.
 */
final class SdkCalls {
    /** IAM's service prefix for each SDK service package; a package missing here fails the scan. */
    static final Map<String, String> IAM_PREFIX = Map.of(
            "ecs", "ecs",
            "elasticloadbalancingv2", "elasticloadbalancing",
            "cloudwatch", "cloudwatch",
            "dynamodb", "dynamodb",
            "lambda", "lambda",
            "s3", "s3",
            "sns", "sns",
            "sqs", "sqs",
            "sts", "sts",
            "applicationautoscaling", "application-autoscaling");

    /**
     * Operations whose IAM action is not {@code prefix:OperationName}, from the Service Authorization
     * Reference: S3 authorizes listing by {@code s3:ListBucket} and HEAD by {@code s3:GetObject}; Lambda's
     * Invoke is {@code lambda:InvokeFunction}; SQS authorizes a batch as its single action.
     */
    static final Map<String, String> NON_OBVIOUS_ACTIONS = Map.of(
            "s3:ListObjectsV2", "s3:ListBucket",
            "s3:ListObjects", "s3:ListBucket",
            "s3:HeadBucket", "s3:ListBucket",
            "s3:HeadObject", "s3:GetObject",
            "s3:ListObjectVersions", "s3:ListBucketVersions",
            "lambda:Invoke", "lambda:InvokeFunction",
            "lambda:InvokeWithResponseStream", "lambda:InvokeFunction",
            "sqs:DeleteMessageBatch", "sqs:DeleteMessage");

    private static final Pattern CLIENT = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/(?:waiters/)?[A-Za-z0-9]+(?:Client|Waiter)");

    private SdkCalls() {}

    /** An IAM action and the methods that call it ({@code io.ecsbluegreen.aws.SdkEcsPort#createTaskSet}). */
    record Found(Map<String, Set<String>> callersByAction) {
        Set<String> actions() {
            return callersByAction.keySet();
        }
    }

    /**
     * Scans the classes below {@code classesRoot} whose package starts with {@code packagePath}, leaving out
     * the packages in {@code excluded} (all as paths, {@code io/ecsbluegreen/sim}).
     */
    static Found scan(Path classesRoot, String packagePath, List<String> excluded) {
        Map<String, Set<String>> found = new TreeMap<>();
        Path root = classesRoot.resolve(packagePath);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String relative = classesRoot.relativize(file).toString().replace('\\', '/');
                if (excluded.stream().anyMatch(x -> relative.startsWith(x + "/"))) continue;
                try (InputStream in = Files.newInputStream(file)) {
                    new ClassReader(in).accept(new Collector(found), ClassReader.SKIP_FRAMES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Found(found);
    }

    private static final class Collector extends ClassVisitor {
        private final Map<String, Set<String>> found;
        private String className;

        Collector(Map<String, Set<String>> found) {
            super(Opcodes.ASM9);
            this.found = found;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            className = name.replace('/', '.');
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            String caller = className.replaceAll("\\$.*", "") + "#" + name.replaceAll("^lambda\\$(.*)\\$\\d+$", "$1");
            Consumer<String[]> record = call -> action(call[0], call[1], call[2])
                    .ifPresent(a -> found.computeIfAbsent(a, k -> new TreeSet<>()).add(caller));
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                    record.accept(new String[] {owner, method, desc});
                }

                @Override
                public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... args) {
                    for (Object arg : args) {
                        if (arg instanceof Handle h) record.accept(new String[] {h.getOwner(), h.getName(), h.getDesc()});
                    }
                }
            };
        }
    }

    /** The IAM action a call sends, or empty when the call is not an AWS operation (close(), a builder...). */
    static java.util.Optional<String> action(String owner, String method, String descriptor) {
        Matcher m = CLIENT.matcher(owner);
        if (!m.matches()) return java.util.Optional.empty();
        Class<?> type;
        try {
            type = Class.forName(owner.replace('/', '.'), false, SdkCalls.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("SDK type " + owner + " is called but not on the test classpath", e);
        }
        Method target = null;
        for (Method candidate : type.getMethods()) {
            if (candidate.getName().equals(method) && org.objectweb.asm.Type.getMethodDescriptor(candidate).equals(descriptor)) {
                target = candidate;
            }
        }
        if (target == null) throw new IllegalStateException("no method " + owner + "." + method + descriptor);
        String operation = operation(target);
        if (operation == null) return java.util.Optional.empty();
        String prefix = IAM_PREFIX.get(m.group(1));
        if (prefix == null) {
            throw new IllegalStateException("the operator calls AWS service package '" + m.group(1) + "' (" + owner + "." + method
                    + "): add its IAM prefix to SdkCalls.IAM_PREFIX and its actions to deploy/iam-policy.json");
        }
        String action = prefix + ":" + operation;
        return java.util.Optional.of(NON_OBVIOUS_ACTIONS.getOrDefault(action, action));
    }

    /** The operation a client or waiter method sends, named after its request type; null for other methods. */
    private static String operation(Method method) {
        if (method.getParameterCount() > 0) {
            Type first = method.getGenericParameterTypes()[0];
            Class<?> request = null;
            if (first instanceof Class<?> c && SdkRequest.class.isAssignableFrom(c)) {
                request = c;
            } else if (first instanceof ParameterizedType p && p.getRawType() == Consumer.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> builder && builder.getEnclosingClass() != null
                    && SdkRequest.class.isAssignableFrom(builder.getEnclosingClass())) {
                request = builder.getEnclosingClass();
            }
            return request == null ? null : request.getSimpleName().replaceAll("Request$", "");
        }
        // the no-argument forms of list and describe operations (listBuckets(), describeAlarms())
        Class<?> returned = method.getReturnType();
        if (!SdkResponse.class.isAssignableFrom(returned) && !SdkIterable.class.isAssignableFrom(returned)) return null;
        String name = method.getName().replaceAll("Paginator$", "");
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
