package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's password rotation in headless Chromium ({@link ConsoleBrowserHarness}), against a real
 * node and gateway: a SCRAM user's row opens the rotation, which says what will happen before it is
 * sent, and once rotated names the rotation's command, linked to its History row (the row's tooltip has the whole id);
 * a certificate user's says why there is nothing to rotate.
 */
class ConsolePasswordRotationBrowserTest extends ConsoleBrowserHarness {

    @Test
    void aScramUsersRowRotatesItsPasswordAfterSayingWhatHappensAndACertificateUsersSaysWhyNot() {
        accepted("{\"clusterId\":\"tills\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,"
                + "\"storage\":{\"size\":\"10Gi\"},\"clientAuthentication\":\"TLS\"}}");
        accepted("{\"clusterId\":\"tills\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"ledger-app\",\"acls\":[],\"authentication\":\"SCRAM-SHA-512\"}}");
        accepted("{\"clusterId\":\"tills\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"audit-app\",\"acls\":[]}}");

        openCluster("tills");
        assertThat(page.element("rotate-form").isDisplayed()).as("nothing asked before a row is chosen").isFalse();
        assertThat(page.await(ExpectedConditions.visibilityOfElementLocated(By.id("users-hint"))).getText()).contains("rotate its password");

        page.await(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-user='ledger-app']"))).click();
        page.awaitText("rotate-user", "Rotate the password of ledger-app (password set at creation, never rotated) in the Secret tills-user-ledger-app?");
        assertThat(page.text("rotate-note")).contains("the old one from then on", "connections already open stay until they reconnect",
                "no pod restarts");
        page.type("rotate-reason", "pasted in a ticket").preview("rotate-form")
                .awaitContains("result", "RotateUserPassword would be accepted as version 4");
        assertThat(page.text("result")).contains("passwordRotation", "\"reason\":\"pasted in a ticket\"");

        page.submit("rotate-form").awaitText("result", "RotateUserPassword accepted: version 4");
        // at the version the page showed accepted: the gateway learns a decision and the state it made from two topics
        JsonNode rotation = h.get("/v1/clusters/tills?minVersion=4").json().at("/users/ledger-app/passwordRotation");
        assertThat(rotation.get("reason").asText()).isEqualTo("pasted in a ticket");
        // the page follows the cluster live: the form and the row's tooltip now name the rotation
        page.awaitContains("rotate-user", "(password rotated at " + rotation.get("requestedAt").asText() + " (rotation 1, command "
                + rotation.get("commandId").asText());
        assertThat(page.await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-user='ledger-app']"))).getAttribute("title"))
                .contains("(rotation 1, command " + rotation.get("commandId").asText() + ")");
        assertThat(page.followCommand("#rotate-user a.command", rotation.get("commandId").asText())).contains("RotateUserPassword");

        page.click("tr[data-user='audit-app']").awaitContains("rotate-user", "audit-app authenticates with a client certificate");
        assertThat(page.text("rotate-user")).contains("Kafka cannot revoke a certificate", "replace the cluster CA");
        assertThat(page.await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rotate-form button[type=submit]"))).isDisplayed())
                .as("nothing to send").isFalse();
        page.click("#rotate-cancel").await(ExpectedConditions.invisibilityOfElementLocated(By.id("rotate-form")));
    }
}
