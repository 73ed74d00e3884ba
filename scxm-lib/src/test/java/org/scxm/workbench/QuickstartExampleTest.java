package org.scxm.workbench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.scxm.model.TrainConfig;
import tech.tablesaw.api.Table;

/**
 * The quickstart's path as a plain Java program over the library verbs: what a batch job or a test
 * writes, no Zeppelin and no paragraph language. (Tiny sizes so it runs in seconds.)
 */
class QuickstartExampleTest {
    @Test
    void quickstartPathInPlainJava() {
        try (Workbench wb = new Workbench(Workbench.Settings.defaults())) {
            wb.loadDemo(Options.Demo.of(0).withCells(600));
            wb.harmonise(Options.Harmonise.defaults());
            wb.bulk(Options.Bulk.defaults());
            wb.tokenize(Options.Tokenize.fromData(64));
            wb.model(Options.Model.small("scxm", 0).withShape(1, 32, 32, 1));
            TrainConfig train = new TrainConfig(1, 4, 8, 1e-4, 1e-4, 2, 10, 1, 1, 0, 5, 1);
            Report trained = wb.train(Options.Train.of(train));
            wb.predict(Options.Predict.of("val"));
            Report evaluated = wb.evaluate(Options.Evaluate.of("val").withSplit(HeldOut.Split.HALVES));

            assertTrue(trained.text().contains("new run of 'scxm' from its initial weights"), trained.text());
            Table test = evaluated.table("evaluation summary on the test part");
            assertNotNull(test, "a held-out test summary");
            assertTrue(test.stringColumn("method").contains("scxm")
                    && test.stringColumn("method").contains("own binarised"));
            DatasetState val = wb.state().datasets().get("val");
            assertEquals(val.nCells(), val.prediction().rows());
            assertNotNull(val.evaluation(), "the evaluation is kept with the dataset");
        }
    }
}
