package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks a plugin's service declarations, so that {@link java.util.ServiceLoader} finds its providers
 * alike on the module path and on the class path:
 * <ul>
 *   <li>{@link #assertInSync(Path)}, for a modular project (with {@code module-info.java}): the
 *       {@code provides} clauses and the {@code META-INF/services} files name the same providers;</li>
 *   <li>{@link #assertClassPathServices(Path)}, for a class-path project (without
 *       {@code module-info.java}): every {@code META-INF/services} file names at least one provider;</li>
 * </ul>
 * and both check that every named provider is a loadable public concrete class that implements its
 * service and has a public no-argument constructor. Every problem is reported at once, each with its
 * fix.
 *
 * @since 0.1.0
 */
public final class ServiceDeclarations {
    private static final String MODULE_INFO = "module-info.class";
    private static final String SERVICES = "META-INF/services";

    private ServiceDeclarations() {
    }

    /**
     * Asserts that a modular project's compiled module descriptor and its service files agree, and
     * that every provider they name can be instantiated by {@link java.util.ServiceLoader}.
     *
     * @param classesDir the module's compiled classes, e.g. {@code Path.of("target/classes")}
     * @throws IOException when the files cannot be read
     * @throws AssertionError when {@code module-info.class} is missing (the message says what to call
     *     for a class-path project), when the declarations disagree, or when a provider is unusable
     */
    public static void assertInSync(Path classesDir) throws IOException {
        Path descriptor = classesDir.resolve(MODULE_INFO);
        if (!Files.isRegularFile(descriptor)) {
            throw new AssertionError("No " + MODULE_INFO + " in " + classesDir.toAbsolutePath().normalize()
                    + ": assertInSync checks a modular project. If this project is modular, add "
                    + "src/main/java/module-info.java and compile before the test runs; if it is a class-path "
                    + "plugin without module-info, call ServiceDeclarations.assertClassPathServices instead.");
        }
        Map<String, Set<String>> provides = new TreeMap<>();
        try (InputStream in = Files.newInputStream(descriptor)) {
            for (ModuleDescriptor.Provides p : ModuleDescriptor.read(in).provides()) {
                provides.put(p.service(), new TreeSet<>(p.providers()));
            }
        }
        Map<String, Set<String>> services = readServiceFiles(classesDir);
        assertThat(services).as("META-INF/services of " + classesDir
                        + " must list exactly the providers of module-info's provides clauses")
                .isEqualTo(provides);
        List<String> problems = checkProviders(classesDir, services);
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " unusable provider(s) in " + classesDir + ":\n  "
                    + String.join("\n  ", problems));
        }
    }

    /**
     * Asserts that a class-path plugin project (one without {@code module-info}) declares its
     * providers in {@code META-INF/services}, and that each names a loadable public concrete class
     * that implements the service and has a public no-argument constructor.
     *
     * @param classesDir the project's compiled classes and resources, e.g. {@code Path.of("target/classes")}
     * @throws IOException when the files cannot be read
     * @throws AssertionError listing every problem, each with its fix; also when the project has a
     *     {@code module-info.class} (then {@link #assertInSync(Path)} is the check to call) or declares
     *     no service at all
     * @since 0.2.0
     */
    public static void assertClassPathServices(Path classesDir) throws IOException {
        if (Files.isRegularFile(classesDir.resolve(MODULE_INFO))) {
            throw new AssertionError(classesDir.toAbsolutePath().normalize() + " has a " + MODULE_INFO
                    + ": it is a modular project, whose provides clauses must match META-INF/services too; "
                    + "call ServiceDeclarations.assertInSync instead.");
        }
        Map<String, Set<String>> services = readServiceFiles(classesDir);
        List<String> problems = new ArrayList<>();
        if (services.isEmpty()) {
            problems.add("no service files in " + classesDir.resolve(SERVICES) + ": a plugin registers each provider "
                    + "in META-INF/services/<service interface>, e.g. src/main/resources/META-INF/services/"
                    + "dev.attentive.api.spi.ModelProvider holding the provider's class name");
        }
        services.forEach((service, providers) -> {
            if (providers.isEmpty()) {
                problems.add(SERVICES + "/" + service + " names no provider: add the provider's fully qualified "
                        + "class name on a line of its own, or delete the file");
            }
        });
        problems.addAll(checkProviders(classesDir, services));
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) with the service declarations in " + classesDir
                    + ":\n  " + String.join("\n  ", problems));
        }
    }

    private static Map<String, Set<String>> readServiceFiles(Path classesDir) throws IOException {
        Map<String, Set<String>> services = new TreeMap<>();
        Path dir = classesDir.resolve(SERVICES);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Set<String> names = new TreeSet<>();
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String name = line.replaceAll("#.*", "").trim();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                    services.put(file.getFileName().toString(), names);
                }
            }
        }
        return services;
    }

    /** Loads each service and provider from the classes folder (its parents first) and checks it. */
    private static List<String> checkProviders(Path classesDir, Map<String, Set<String>> services) throws IOException {
        List<String> problems = new ArrayList<>();
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        URL url;
        try {
            url = classesDir.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IOException("Cannot read classes from " + classesDir, e);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {url},
                parent != null ? parent : ServiceDeclarations.class.getClassLoader())) {
            for (var entry : services.entrySet()) {
                Class<?> service;
                try {
                    service = Class.forName(entry.getKey(), false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    problems.add("service " + entry.getKey() + " (the name of " + SERVICES + "/" + entry.getKey()
                            + ") cannot be loaded: " + e + "; name the file after the service interface and "
                            + "put the jar declaring it on the test class path");
                    continue;
                }
                for (String name : entry.getValue()) {
                    String problem = checkProvider(service, name, loader);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        return problems;
    }

    private static String checkProvider(Class<?> service, String name, ClassLoader loader) {
        Class<?> provider;
        try {
            provider = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "provider " + name + " of " + service.getName() + " cannot be loaded (" + e
                    + "): fix the class name in " + SERVICES + "/" + service.getName() + " or compile the class";
        }
        if (!service.isAssignableFrom(provider)) {
            return "provider " + name + " does not implement " + service.getName()
                    + ": implement the service interface, or list the class under the service it implements";
        }
        if (!Modifier.isPublic(provider.getModifiers()) || provider.isInterface()
                || Modifier.isAbstract(provider.getModifiers())
                || (provider.getEnclosingClass() != null && !Modifier.isStatic(provider.getModifiers()))) {
            return "provider " + name + " of " + service.getName()
                    + " must be a public concrete top-level or static nested class for ServiceLoader to create it";
        }
        try {
            if (!Modifier.isPublic(provider.getConstructor().getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            return "provider " + name + " of " + service.getName()
                    + " has no public no-argument constructor: add one, ServiceLoader creates providers with it";
        }
        return null;
    }
}
