package io.anomalyflow.workshop.check;

import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Which implementation the checks judge: system property {@code workshop.impl}, one of
 * {@code reference} (the default: what {@code make test} runs every check against), {@code learner}
 * (the classes in {@code src/main/java/io/anomalyflow/workshop}, what {@code make workshop} runs) or
 * {@code pristine} (the same classes as shipped, compiled apart from {@code src/pristine/java}).
 */
public final class Implementations {
    /** The system property naming the implementation. */
    public static final String PROPERTY = "workshop.impl";
    /** Where the pristine skeletons are compiled (set by the pom). */
    private static final String PRISTINE_CLASSES = "workshop.pristine.classes";
    private static volatile ClassLoader pristineLoader;

    private Implementations() {
    }

    /** The implementation chosen now: reference, learner or pristine. */
    public static String current() {
        return System.getProperty(PROPERTY, "reference");
    }

    /**
     * How long a check waits for something that should happen: {@code normal}, but at most 2 s
     * against the pristine skeletons, which {@code make test} runs only to see every check fail
     * (there the awaited signal never comes, and waiting longer proves nothing more).
     */
    public static Duration patience(Duration normal) {
        var shortest = Duration.ofSeconds(2);
        return current().equals("pristine") && normal.compareTo(shortest) > 0 ? shortest : normal;
    }

    /** A new instance of {@code step}'s implementation, as chosen by {@link #current()}. */
    public static <S> S of(Class<S> stepInterface) {
        var step = Step.forInterface(stepInterface);
        var which = current();
        String className = switch (which) {
            case "reference" -> step.referenceClass().getName();
            case "learner", "pristine" -> step.learnerClassName();
            default -> throw new IllegalStateException(PROPERTY + " must be reference, learner or pristine: " + which);
        };
        ClassLoader loader = which.equals("pristine") ? pristine() : Implementations.class.getClassLoader();
        try {
            var type = Class.forName(className, true, loader);
            return stepInterface.cast(type.getConstructor().newInstance());
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("step " + step.number() + ": cannot make a " + className
                    + " (it needs a public no-argument constructor): " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("step " + step.number() + ": the constructor of " + className + " threw "
                    + e.getCause(), e.getCause());
        }
    }

    private static ClassLoader pristine() {
        var loader = pristineLoader;
        if (loader == null) {
            synchronized (Implementations.class) {
                loader = pristineLoader;
                if (loader == null) {
                    pristineLoader = loader = new PristineLoader(pristineDir(), Implementations.class.getClassLoader());
                }
            }
        }
        return loader;
    }

    private static URL pristineDir() {
        var dir = Path.of(System.getProperty(PRISTINE_CLASSES, "target/pristine-classes"));
        if (!Files.isDirectory(dir.resolve("io/anomalyflow/workshop"))) {
            throw new IllegalStateException("no pristine skeletons compiled in " + dir.toAbsolutePath());
        }
        try {
            return dir.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Loads the classes of package {@code io.anomalyflow.workshop} itself (the skeletons, nested
     * classes included) from the pristine directory first; everything else, the step interfaces
     * among them, from the parent, so a pristine skeleton implements the same interface the checks use.
     */
    private static final class PristineLoader extends URLClassLoader {
        private static final String PACKAGE = "io.anomalyflow.workshop.";

        PristineLoader(URL dir, ClassLoader parent) {
            super(new URL[] {dir}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE) || name.indexOf('.', PACKAGE.length()) >= 0) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                var loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name); // child first: never the learner's copy
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
