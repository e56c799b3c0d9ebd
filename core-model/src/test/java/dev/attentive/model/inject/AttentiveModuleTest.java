package dev.attentive.model.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guice module binds a recommender loaded from the golden model directory. */
class AttentiveModuleTest {

    @Test
    void injectsTheSavedModelAsASingleton() throws URISyntaxException {
        Path dir = Path.of(getClass().getResource("/golden/two-tower-v1/model.json").toURI()).getParent();
        Injector injector = Guice.createInjector(new AttentiveModule(dir));
        try (Recommender r = injector.getInstance(Recommender.class)) {
            assertThat(injector.getInstance(Recommender.class)).isSameAs(r);
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(5).build())).hasSize(5);
        }
    }

    @Test
    void aMissingModelFailsTheInjectionWithTheReason(@TempDir Path empty) {
        Injector injector = Guice.createInjector(new AttentiveModule(empty));
        assertThatThrownBy(() -> injector.getInstance(Recommender.class)).isInstanceOf(ProvisionException.class)
                .hasMessageContaining("model.json: missing");
    }
}
