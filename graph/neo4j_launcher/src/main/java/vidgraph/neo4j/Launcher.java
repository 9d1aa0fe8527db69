package vidgraph.neo4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j Community 5, embedded, with Bolt on a loopback port: a real server for the Python driver.
 *
 * <p>Usage: {@code Launcher <home-dir> <bolt-port> <pagecache-mb> [<owner-pid>]}; the password of user {@code neo4j} comes
 * from the environment variable {@code NEO4J_PASSWORD} (never from the command line, where {@code ps} shows it).
 * Prints {@code READY bolt://127.0.0.1:<port>} once Bolt accepts connections and shuts the database down
 * cleanly on SIGTERM or SIGINT, or when the process {@code owner-pid} (if given) has ended.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        try {
            run(args);
        } catch (RuntimeException e) {  // never linger half-started: Neo4j's own threads would keep the JVM up
            System.err.println("error: " + e);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws InterruptedException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: Launcher <home-dir> <bolt-port> <pagecache-mb> [<pid to exit with>]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMb = Long.parseLong(args[2]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("error: NEO4J_PASSWORD must be set (at least 8 characters)");
            System.exit(2);
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Neo4j reports usage data (store size, counts, machine) to neo4j.com every 24 hours by default;
                // a server vidgraph starts calls nowhere but where its settings say
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                .build();

        // The built-in user starts with a password that must be changed; set ours. On a restart with the same
        // password Neo4j refuses the change ("cannot be the same"), which is the state we want.
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                System.err.println("error: cannot set the password of user neo4j: " + e.getMessage());
                dbms.shutdown();
                System.exit(1);
            }
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "vidgraph-neo4j-shutdown"));
        if (args.length == 4) {  // a test session's server: shut down when the session's process is gone
            long owner = Long.parseLong(args[3]);
            Thread watch = new Thread(() -> {
                while (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.exit(0);  // runs the shutdown hook: a clean shutdown
            }, "vidgraph-neo4j-owner-watch");
            watch.setDaemon(true);
            watch.start();
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
