package dev.ferry.daemon.cluster;

/**
 * The background thread of a test-side controller (the drivers that play kubelet and controllers): runs one pass
 * every 100 ms until closed; a pass that fails is printed and the next one runs.
 */
final class DriverLoop implements AutoCloseable {

    /** One pass over the mock API server's objects. */
    @FunctionalInterface
    interface Pass {
        void run() throws Exception;
    }

    private final Thread thread;
    private volatile boolean stopped;

    DriverLoop(String name, Pass pass) {
        thread = new Thread(() -> {
            while (!stopped) {
                try {
                    pass.run();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!stopped) {
                        e.printStackTrace();
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
