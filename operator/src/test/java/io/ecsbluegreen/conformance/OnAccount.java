package io.ecsbluegreen.conformance;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives conformance tests the {@link Account} and the {@link Fixture}: one of each for the whole run (the ALB
 * alone takes minutes to make on AWS), made when a test first asks, closed at the end of the run (the
 * fixture first: the root store closes its values in reverse order). When the account cannot be opened, the
 * reason is kept and every test fails with it, without trying again.
 */
final class OnAccount implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OnAccount.class);

    /** The account, or why there is none. */
    private record Opened(Account account, RuntimeException failure) implements AutoCloseable {
        Account get() {
            if (failure != null) throw new IllegalStateException(failure.getMessage(), failure);
            return account;
        }

        @Override
        public void close() {
            if (account != null) account.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Account.class || type == Fixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Account.class ? account(context) : fixture(context);
    }

    static Account account(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Opened.class, k -> {
            try {
                return new Opened(Account.open(), null);
            } catch (RuntimeException e) {
                return new Opened(null, e);
            }
        }, Opened.class).get();
    }

    static Fixture fixture(ExtensionContext context) {
        Account account = account(context);
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Fixture.class, k -> Fixture.create(account), Fixture.class);
    }
}
