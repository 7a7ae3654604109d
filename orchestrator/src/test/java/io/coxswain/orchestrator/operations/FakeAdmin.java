package io.coxswain.orchestrator.operations;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/**
 * An {@link Admin} whose calls are answered by a {@link FakeKafka}: each Admin method is routed to
 * the method with the same name and parameter types of the FakeKafka or of one of its parts
 * ({@code FakeKafka.answering}: its controllers, configuration, reassignments). Admin's default overloads keep
 * their own behaviour (they delegate to the abstract ones), and any other abstract method throws
 * {@link UnsupportedOperationException}, so a check that starts using a new call fails loudly in
 * its tests instead of reading an empty answer.
 */
public interface FakeAdmin extends Admin {

    /** The fake cluster behind this Admin, to change it between calls. */
    FakeKafka kafka();

    static FakeAdmin over(FakeKafka kafka) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "FakeAdmin(" + kafka + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> proxy == args[0];
                };
            }
            if (method.getName().equals("kafka") && method.getParameterCount() == 0) {
                return kafka;
            }
            if (method.getName().equals("close")) {
                return null;
            }
            for (Object answering : kafka.answering()) {
                Method target = find(answering, method);
                if (target != null) {
                    try {
                        return target.invoke(answering, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException("FakeAdmin does not implement Admin." + method.getName());
        };
        return (FakeAdmin) Proxy.newProxyInstance(FakeAdmin.class.getClassLoader(), new Class<?>[] {FakeAdmin.class}, handler);
    }

    private static Method find(Object answering, Method method) {
        try {
            return answering.getClass().getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * Admin result types have package-private constructors (Kafka builds them itself); a fake has
     * to reach them reflectively.
     */
    static <T> T result(Class<T> type, Object... args) {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (c.getParameterCount() == args.length) {
                try {
                    c.setAccessible(true);
                    return type.cast(c.newInstance(args));
                } catch (ReflectiveOperationException | IllegalArgumentException e) {
                    // try the next constructor with the same arity
                }
            }
        }
        throw new IllegalStateException("no constructor of " + type.getSimpleName() + " takes " + Arrays.toString(args));
    }

    static <T> KafkaFuture<T> done(T value) {
        return KafkaFuture.completedFuture(value);
    }

    static <T> KafkaFuture<T> failed(Throwable error) {
        KafkaFutureImpl<T> future = new KafkaFutureImpl<>();
        future.completeExceptionally(error);
        return future;
    }
}
