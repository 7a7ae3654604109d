package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's password rotation in headless Chromium, against a real node and gateway (ConsoleBrowserHarness,
 * kept out of ConsoleBrowserTest while it is being split): a SCRAM user's row opens
 * the rotation, which says what will happen before it is sent; a certificate user's says why there is
 * nothing to rotate. Skipped where Debian's chromium and chromium-driver are not installed.
 */
class ConsolePasswordRotationBrowserTest extends ConsoleBrowserHarness {

    @Test
    void aScramUsersRowRotatesItsPasswordAfterSayingWhatHappensAndACertificateUsersSaysWhyNot() {
        accepted("{\"clusterId\":\"tills\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,"
                + "\"storage\":{\"size\":\"10Gi\"},\"clientAuthentication\":\"TLS\"}}");
        accepted("{\"clusterId\":\"tills\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"ledger-app\",\"acls\":[],\"authentication\":\"SCRAM-SHA-512\"}}");
        accepted("{\"clusterId\":\"tills\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"audit-app\",\"acls\":[]}}");

        openCluster("tills");
        assertThat(browser.findElement(By.id("rotate-form")).isDisplayed()).as("nothing asked before a row is chosen").isFalse();
        assertThat(visible("#users-hint").getText()).contains("rotate its password");

        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-user='ledger-app']"))).click();
        assertThat(visible("#rotate-user").getText()).isEqualTo("Rotate the password of ledger-app (password set at creation, never rotated)"
                + " in the Secret tills-user-ledger-app?");
        assertThat(browser.findElement(By.id("rotate-note")).getText()).contains("the old one from then on",
                "connections already open stay until they reconnect", "no pod restarts");
        browser.findElement(By.id("rotate-reason")).sendKeys("pasted in a ticket");
        browser.findElement(By.cssSelector("#rotate-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "RotateUserPassword would be accepted as version 4"));
        assertThat(browser.findElement(By.id("result")).getText()).contains("passwordRotation", "\"reason\":\"pasted in a ticket\"");

        browser.findElement(By.cssSelector("#rotate-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "RotateUserPassword accepted: version 4"));
        JsonNode rotation = h.get("/v1/clusters/tills").json().at("/users/ledger-app/passwordRotation");
        assertThat(rotation.get("reason").asText()).isEqualTo("pasted in a ticket");
        // the page follows the cluster live: the form and the row's tooltip now name the rotation
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rotate-user"),
                "(password rotated at " + rotation.get("requestedAt").asText() + " (rotation 1, command " + rotation.get("commandId").asText()));
        assertThat(browser.findElement(By.cssSelector("tr[data-user='ledger-app']")).getAttribute("title")).contains("rotation 1");

        browser.findElement(By.cssSelector("tr[data-user='audit-app']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rotate-user"), "audit-app authenticates with a client certificate"));
        assertThat(browser.findElement(By.id("rotate-user")).getText()).contains("Kafka cannot revoke a certificate", "replace the cluster CA");
        assertThat(browser.findElement(By.cssSelector("#rotate-form button[type=submit]")).isDisplayed()).as("nothing to send").isFalse();
        browser.findElement(By.id("rotate-cancel")).click();
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("rotate-form")));
    }
}
