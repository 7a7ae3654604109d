package io.coxswain.gateway;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Cluster labels in the console, in headless Chromium against a real node and gateway (ConsoleBrowserHarness):
 * a Labels column in the list, the list narrowed by a selector typed above it (a malformed one named), the
 * cluster's labels in its view, and the labels form replacing them.
 */
class ConsoleLabelsBrowserTest extends ConsoleBrowserHarness {

    private static By row(String cluster) {
        return By.cssSelector("#clusters tr[data-cluster='" + cluster + "']");
    }

    private static String created(String cluster, String labels) {
        return GatewayHarness.create(cluster).replace("\"brokers\":3,", "\"brokers\":3,\"labels\":" + labels + ",");
    }

    @Test
    void theListShowsAndFiltersByLabelsAndTheClusterViewSetsThem() {
        accepted(created("tagged-pay", "{\"team\":\"payments\"}"));
        accepted(created("tagged-ord", "{\"team\":\"orders\",\"env\":\"dev\"}"));

        page.signIn(GatewayHarness.TOKEN);
        page.await(ExpectedConditions.textMatches(row("tagged-ord"), java.util.regex.Pattern.compile(" env=dev,team=orders$")));
        page.type("label-filter", "team=orders");
        page.await(ExpectedConditions.numberOfElementsToBe(row("tagged-pay"), 0));
        page.await(ExpectedConditions.numberOfElementsToBe(row("tagged-ord"), 1));
        page.type("label-filter", "team=not valid");
        page.awaitContains("label-filter-error", "label must be a selector").awaitContains("label-filter-error", "'team=not valid'");
        page.type("label-filter", "team");
        page.awaitText("label-filter-error", "");
        page.await(ExpectedConditions.numberOfElementsToBe(row("tagged-pay"), 1));

        page.follow("tagged-pay");
        page.awaitText("c-labels", "team=payments");
        page.type("labels-text", "team=payments\nenv=prod").preview("labels-form");
        page.awaitContains("result", "SetClusterLabels would be accepted as version 2").awaitContains("result", "spec.labels");
        page.submit("labels-form");
        page.awaitContains("result", "SetClusterLabels accepted: version 2");
        page.awaitText("c-labels", "env=prod,team=payments");
        page.type("label-filter", "env=prod");
        page.await(ExpectedConditions.numberOfElementsToBe(row("tagged-ord"), 0));
        page.await(ExpectedConditions.numberOfElementsToBe(row("tagged-pay"), 1));
    }
}
