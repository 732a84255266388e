package io.lenetspark.output;

import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.training.TrainingState;
import io.lenetspark.util.Sha256;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The driver's checkpoints in {@code <run folder>/checkpoints/}: after every epoch, one file
 * {@code epoch-NNNN.zip} holding the model with its updater state ({@code model.zip}) and the
 * {@link TrainingState} with the model's SHA-256 ({@code state.json}). Each file is written under
 * a temporary name and renamed, so a checkpoint either exists whole or not at all; a file that does
 * not verify is reported and never loaded.
 */
public final class Checkpoints {

    public static final String FOLDER = "checkpoints";
    private static final String MODEL_ENTRY = "model.zip";
    private static final String STATE_ENTRY = "state.json";
    private static final int FORMAT_VERSION = 1;
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-(\\d{4,})\\.zip");

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    /** What {@code state.json} holds. */
    record StateFile(int formatVersion, int epoch, long seed, String modelSha256, TrainingState state) {
    }

    /** A verified checkpoint, ready to continue from. */
    public record Checkpoint(int epoch, MultiLayerNetwork network, TrainingState state, String location) {
    }

    private final RunFolder folder;
    private final long seed;
    private final int kept;

    /**
     * @param seed the run's seed, recorded so that a checkpoint is only continued with the same data order
     * @param kept how many of the newest checkpoints to keep; older ones are deleted
     */
    public Checkpoints(RunFolder folder, long seed, int kept) {
        this.folder = folder;
        this.seed = seed;
        this.kept = kept;
    }

    /** Writes the checkpoint after {@code state}'s last epoch, then deletes those no longer kept. */
    public void save(MultiLayerNetwork network, TrainingState state) {
        int epoch = state.completedEpochs();
        byte[] model = serialize(network);
        byte[] stateJson = json(new StateFile(FORMAT_VERSION, epoch, seed, Sha256.of(model), state));
        folder.write(path(epoch), out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            putEntry(zip, STATE_ENTRY, stateJson);
            putEntry(zip, MODEL_ENTRY, model);
            zip.finish();
        });
        for (int old : epochs()) {
            if (old <= epoch - kept) {
                folder.delete(path(old));
            }
        }
    }

    /**
     * The newest checkpoint, verified, or empty when there is none. Temporary files left by a
     * checkpoint being written when the run stopped are ignored.
     *
     * @throws InvalidInputException when the newest checkpoint does not verify
     */
    public Optional<Checkpoint> latest() {
        List<String> names = folder.list(FOLDER);
        names.stream().filter(name -> name.startsWith(".") && name.endsWith(".tmp")).forEach(name ->
                LOG.warn("Ignoring {}/{}: a checkpoint that was still being written when the run stopped", FOLDER, name));
        List<Integer> epochs = epochs();
        if (epochs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(load(epochs.get(epochs.size() - 1)));
    }

    private Checkpoint load(int epoch) {
        String location = folder.resolve(path(epoch)).toString();
        Map<String, byte[]> entries;
        try (InputStream in = folder.open(path(epoch))) {
            entries = unzip(in);
        } catch (IOException e) {
            throw corrupt(location, "it cannot be read as a zip file (" + e.getMessage() + ")");
        }
        byte[] model = entries.get(MODEL_ENTRY);
        byte[] stateJson = entries.get(STATE_ENTRY);
        if (model == null || stateJson == null) {
            throw corrupt(location, "it lacks " + (model == null ? MODEL_ENTRY : STATE_ENTRY));
        }
        StateFile state;
        try {
            state = RunJson.MAPPER.readValue(stateJson, StateFile.class);
        } catch (IOException e) {
            throw corrupt(location, STATE_ENTRY + " is not valid (" + e.getMessage() + ")");
        }
        if (state.formatVersion() != FORMAT_VERSION || state.epoch() != epoch || state.state() == null
                || state.state().completedEpochs() != epoch) {
            throw corrupt(location, STATE_ENTRY + " does not describe epoch " + epoch + " in format " + FORMAT_VERSION);
        }
        if (!Sha256.of(model).equals(state.modelSha256())) {
            throw corrupt(location, "its model does not match the SHA-256 recorded with it");
        }
        if (state.seed() != seed) {
            throw new InvalidInputException("Checkpoint " + location + " was written with lenet.seed = " + state.seed()
                    + ", not " + seed + ". Resume with the seed the run started with, or choose a new lenet.output.run-id.");
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), true);
            return new Checkpoint(epoch, network, state.state(), location);
        } catch (IOException | RuntimeException e) {
            throw corrupt(location, "its model cannot be restored (" + e.getMessage() + ")");
        }
    }

    private List<Integer> epochs() {
        return folder.list(FOLDER).stream().map(CHECKPOINT_NAME::matcher).filter(Matcher::matches)
                .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
    }

    private static String path(int epoch) {
        return FOLDER + "/" + String.format("epoch-%04d.zip", epoch);
    }

    private static InvalidInputException corrupt(String location, String reason) {
        return new InvalidInputException("Checkpoint " + location + " is damaged and was not loaded: " + reason
                + ". Delete that file to resume from the checkpoint before it, "
                + "or choose a new lenet.output.run-id to start over.");
    }

    private static Map<String, byte[]> unzip(InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        // ZipInputStream checks each entry's CRC as it reads it, so damaged bytes fail here.
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            entries.put(entry.getName(), zip.readAllBytes());
        }
        return entries;
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] serialize(MultiLayerNetwork network) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, bytes, true);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize the network", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] json(StateFile state) {
        try {
            return RunJson.MAPPER.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write checkpoint state", e);
        }
    }
}
