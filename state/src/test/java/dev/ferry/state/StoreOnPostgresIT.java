package dev.ferry.state;

import dev.ferry.state.testdb.PostgresServer;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The same contract as on H2, on a real PostgreSQL server: the Flyway scripts and every query run on both. */
class StoreOnPostgresIT extends StoreContract {

    static PostgresServer server;
    static int databases;
    Store store;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        String url = server.createDatabase("contract_" + ++databases);
        store = Store.open(new DatabaseSettings(url, server.user(), server.password(), 4), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected Store store() {
        return store;
    }

}
