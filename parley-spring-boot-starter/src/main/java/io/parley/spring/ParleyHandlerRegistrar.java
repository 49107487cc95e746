package io.parley.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.server.Ack;
import io.parley.server.Args;
import io.parley.server.DisconnectReason;
import io.parley.server.Socket;
import io.parley.server.SocketIoServer;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Wires the application's handlers into the Socket.IO server once every singleton exists, before
 * the server takes connections: first the {@link SocketIoConfigurer} beans (in order), then the
 * methods annotated {@link OnEvent}, {@link OnConnect} and {@link OnDisconnect}, which it collects
 * from the beans as they are initialised. Only singletons created at startup are wired: a bean made
 * later (a prototype, a lazy singleton) is logged and left out, since sockets already connected
 * would not get its handlers.
 */
final class ParleyHandlerRegistrar implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {
  private static final Logger log = LoggerFactory.getLogger(ParleyHandlerRegistrar.class);
  private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(OnEvent.class, OnConnect.class, OnDisconnect.class);

  private final Set<Class<?>> withoutHandlers = ConcurrentHashMap.newKeySet();
  private final List<Found> found = new ArrayList<>();
  private volatile boolean wired;
  private BeanFactory beanFactory;

  /** An annotated method of a bean, as found; resolved against the server's mapper when registered. */
  private record Found(Object bean, String beanName, Class<?> type, Method method, Annotation annotation) {
    String namespace() {
      return switch (annotation) {
        case OnEvent e -> e.namespace();
        case OnConnect c -> c.namespace();
        case OnDisconnect d -> d.namespace();
        default -> throw new IllegalStateException(annotation.toString());
      };
    }

    String describe() {
      return "@" + annotation.annotationType().getSimpleName() + " method " + type.getName() + "." + method.getName()
          + " (bean " + beanName + ")";
    }
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (withoutHandlers.contains(type) || !AnnotationUtils.isCandidateClass(type, ANNOTATIONS)) {
      return bean;
    }
    Map<Method, List<Annotation>> methods = MethodIntrospector.selectMethods(type,
        (MethodIntrospector.MetadataLookup<List<Annotation>>) m -> {
          List<Annotation> on = new ArrayList<>();
          for (Class<? extends Annotation> a : ANNOTATIONS) {
            Annotation found = AnnotatedElementUtils.findMergedAnnotation(m, a);
            if (found != null) {
              on.add(found);
            }
          }
          return on.isEmpty() ? null : on;
        });
    if (methods.isEmpty()) {
      withoutHandlers.add(type);
      return bean;
    }
    if (wired) {
      log.warn("{} (bean {}) was created after startup: its Socket.IO handlers are not registered; make it a "
          + "singleton that is not lazy", type.getName(), beanName);
      return bean;
    }
    synchronized (found) {
      methods.forEach((m, annotations) -> {
        Method invocable = AopUtils.selectInvocableMethod(m, bean.getClass());
        for (Annotation a : annotations) {
          found.add(new Found(bean, beanName, type, invocable, a));
        }
      });
    }
    return bean;
  }

  @Override
  public void afterSingletonsInstantiated() {
    SocketIoServer io = beanFactory.getBeanProvider(SocketIoServer.class).getIfAvailable();
    List<Found> handlers;
    synchronized (found) {
      wired = true;
      handlers = List.copyOf(found);
      found.clear();
    }
    List<SocketIoConfigurer> configurers = beanFactory.getBeanProvider(SocketIoConfigurer.class).orderedStream().toList();
    if (io == null) {
      if (!handlers.isEmpty() || !configurers.isEmpty()) {
        String what = handlers.isEmpty() ? "a SocketIoConfigurer bean" : handlers.get(0).describe();
        throw new IllegalStateException(what + " needs a Socket.IO server: Parley serves on the application's port "
            + "in a servlet web application, or on its own with parley.port (and parley-netty)");
      }
      return;
    }
    configurers.forEach(c -> c.configure(io));
    register(io, handlers);
  }

  /** One namespace's handlers, resolved. */
  private static final class NamespaceHandlers {
    final List<Map.Entry<String, Invoker>> events = new ArrayList<>();
    final List<Invoker> connects = new ArrayList<>();
    final List<Invoker> disconnects = new ArrayList<>();
  }

  private static void register(SocketIoServer io, List<Found> handlers) {
    ObjectMapper mapper = io.options().mapper();
    Map<String, NamespaceHandlers> byNamespace = new LinkedHashMap<>();
    for (Found f : handlers) {
      NamespaceHandlers n = byNamespace.computeIfAbsent(f.namespace(), k -> new NamespaceHandlers());
      Invoker invoker = Invoker.of(f, mapper);
      switch (f.annotation()) {
        case OnEvent e -> n.events.add(Map.entry(e.value(), invoker));
        case OnConnect c -> n.connects.add(invoker);
        default -> n.disconnects.add(invoker);
      }
    }
    byNamespace.forEach((name, n) -> io.of(name).onConnection(socket -> {
      for (Map.Entry<String, Invoker> e : n.events) {
        Invoker invoker = e.getValue();
        socket.on(e.getKey(), (args, ack) -> invoker.onEvent(socket, args, ack));
      }
      for (Invoker invoker : n.disconnects) {
        socket.onDisconnect(reason -> invoker.onDisconnect(socket, reason));
      }
      for (Invoker invoker : n.connects) {
        invoker.call(socket, null, Ack.NONE, null);
      }
    }));
  }

  /** What fills a parameter. */
  private enum Source { SOCKET, ACK, ARGS, REASON, PAYLOAD }

  /** Calls one annotated method with its parameters filled. */
  private record Invoker(Found found, Source[] sources, int[] payloadIndex, JavaType[] payloadType, boolean ackByReturn,
      ObjectMapper mapper) {

    static Invoker of(Found f, ObjectMapper mapper) {
      Method m = f.method();
      Class<?>[] types = m.getParameterTypes();
      Type[] generic = m.getGenericParameterTypes();
      Source[] sources = new Source[types.length];
      int[] index = new int[types.length];
      JavaType[] javaTypes = new JavaType[types.length];
      int payloads = 0;
      boolean hasAck = false;
      for (int i = 0; i < types.length; i++) {
        Class<?> t = types[i];
        if (t == Socket.class) {
          sources[i] = Source.SOCKET;
        } else if (t == Ack.class && f.annotation() instanceof OnEvent) {
          sources[i] = Source.ACK;
          hasAck = true;
        } else if (t == Args.class && f.annotation() instanceof OnEvent) {
          sources[i] = Source.ARGS;
        } else if (t == DisconnectReason.class && f.annotation() instanceof OnDisconnect) {
          sources[i] = Source.REASON;
        } else if (f.annotation() instanceof OnEvent) {
          sources[i] = Source.PAYLOAD;
          index[i] = payloads++;
          javaTypes[i] = mapper.getTypeFactory().constructType(GenericTypeResolver.resolveType(generic[i], f.type()));
        } else {
          throw new IllegalStateException(f.describe() + ": parameter " + i + " (" + t.getSimpleName() + ") is not one "
              + (f.annotation() instanceof OnConnect ? "it can take (a Socket)" : "it can take (a Socket, a DisconnectReason)"));
        }
      }
      boolean returnsValue = m.getReturnType() != void.class && m.getReturnType() != Void.class;
      if (hasAck && returnsValue) {
        throw new IllegalStateException(f.describe() + " takes an Ack and returns a value: answer through one of them");
      }
      if (!(f.annotation() instanceof OnEvent) && returnsValue) {
        throw new IllegalStateException(f.describe() + " returns a value, which nothing would receive");
      }
      ReflectionUtils.makeAccessible(m);
      return new Invoker(f, sources, index, javaTypes, returnsValue, mapper);
    }

    void onEvent(Socket socket, Args args, Ack ack) throws Exception {
      Object result = call(socket, args, ack, null);
      if (ackByReturn && ack.requested()) {
        ack.send(result);
      }
    }

    void onDisconnect(Socket socket, DisconnectReason reason) {
      try {
        call(socket, null, Ack.NONE, reason);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(found.describe() + " failed", e);
      }
    }

    Object call(Socket socket, Args args, Ack ack, DisconnectReason reason) throws Exception {
      Object[] values = new Object[sources.length];
      for (int i = 0; i < sources.length; i++) {
        values[i] = switch (sources[i]) {
          case SOCKET -> socket;
          case ACK -> ack;
          case ARGS -> args;
          case REASON -> reason;
          case PAYLOAD -> payload(args, i);
        };
      }
      try {
        return found.method().invoke(found.bean(), values);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }

    private Object payload(Args args, int param) {
      JavaType type = payloadType[param];
      JsonNode node = args.get(payloadIndex[param]);
      if (node == null || node.isNull()) {
        if (type.isPrimitive()) {
          throw new IllegalArgumentException("argument " + payloadIndex[param] + " is missing, and "
              + found.describe() + " takes a " + type.getRawClass().getName() + " for it");
        }
        return null;
      }
      try {
        return mapper.treeToValue(node, type);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("argument " + payloadIndex[param] + " is not a " + type.toCanonical()
            + " (" + found.describe() + "): " + e.getOriginalMessage(), e);
      }
    }
  }
}
